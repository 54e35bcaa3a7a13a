using System.Diagnostics;
using System.Text.Json;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.Support;

/// <summary>
/// One run of the unmodified npm y-websocket client (tests/oracle/ywebsocket-client.mjs) against a
/// node: it syncs, appends its text, and waits until the document holds every expected part.
/// </summary>
internal static class YWebSocketClientRun
{
    /// <summary>Runs the client to the end; returns the text it saw last. Fails the test (with the node's log) when the client does.</summary>
    public static async Task<string> AppendAndAwaitAsync(NodeProcess node, string docId, string insert, IReadOnlyList<string> expected, TimeSpan within)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Oracle,
        };
        var server = $"ws://127.0.0.1:{node.ApiUrl.Port}/yjs";
        var timeoutMs = ((long)within.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var arg in new[] { Path.Combine(RepoPaths.Oracle, "ywebsocket-client.mjs"), server, docId, insert, JsonSerializer.Serialize(expected), timeoutMs })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node (Node.js)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"y-websocket client on {node.DeviceId[..8]} (doc {docId}, inserting {insert}) exited {process.ExitCode}: {await stderr}\n--- node log ---\n{node.Log}");
        using var result = JsonDocument.Parse(await stdout);
        return result.RootElement.GetProperty("text").GetString()!;
    }
}
