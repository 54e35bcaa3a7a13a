using System.Diagnostics;
using System.Text.Json;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.Node;

/// <summary>The unmodified npm y-websocket client (tests/oracle/ywebsocket-client.mjs) against real nodes.</summary>
[Collection("node processes")]
public sealed class YWebSocketClientProcessTests
{
    [Fact]
    public async Task ClientsOnTwoNodes_SeeEachOthersEdits()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        var doc = await a.CreateDocAsync("editor");
        await Eventually.TrueAsync(async () => await b.TextAsync(doc.Id) is not null, TimeSpan.FromSeconds(30), () => NodeSyncProcessTests.Describe(doc.Id, a, b));

        var expected = JsonSerializer.Serialize(new[] { "alpha@A", "beta@B" });
        var onA = RunClientAsync(a, doc.Id, "alpha@A", expected);
        var onB = RunClientAsync(b, doc.Id, "beta@B", expected);
        var results = await Task.WhenAll(onA, onB);

        Assert.Equal(results[0], results[1]);
        await NodeSyncProcessTests.ConvergedAsync(doc.Id, ["alpha@A", "beta@B"], a, b);
        Assert.Equal(results[0], await a.TextAsync(doc.Id));
    }

    private static async Task<string> RunClientAsync(NodeProcess node, string docId, string insert, string expectedJson)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Oracle,
        };
        var server = $"ws://127.0.0.1:{node.ApiUrl.Port}/yjs";
        foreach (var arg in new[] { Path.Combine(RepoPaths.Oracle, "ywebsocket-client.mjs"), server, docId, insert, expectedJson, "30000" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"y-websocket client on {node.DeviceId[..8]} exited {process.ExitCode}: {await stderr}\n--- node log ---\n{node.Log}");
        using var result = JsonDocument.Parse(await stdout);
        return result.RootElement.GetProperty("text").GetString()!;
    }
}
