using System.Diagnostics;
using System.Net.Http.Json;
using P2PSync.Interop.Tests.Node;
using P2PSync.Node.Api;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Presence;

/// <summary>
/// Awareness between real nodes on loopback: unmodified npm y-websocket clients on two nodes see
/// each other's user name and cursor, and see them go as soon as the other client or its node
/// leaves (not after the 30 s awareness timeout).
/// </summary>
[Collection("node processes")]
public sealed class PresenceProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Changes must travel as they happen: well before a 15 s renewal or the 30 s awareness
    /// timeout could explain them.
    /// </summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ClientsOnTwoNodes_SeeEachOthersNameAndCursor_AndTheRemovalWhenOneDisconnects()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        var docId = await SharedDocumentAsync(a, b);

        await using var ann = await AwarenessClientProcess.StartAsync(a, docId, "ann", cursor: 3);
        await using var bob = await AwarenessClientProcess.StartAsync(b, docId, "bob", cursor: 7);
        var seenByBob = await bob.WaitUntilAsync(s => s.Any(x => x.User == "ann" && x.Head == 3), Within, "ann with cursor 3");
        await ann.WaitUntilAsync(s => s.Any(x => x.User == "bob" && x.Head == 7), Within, "bob with cursor 7");

        var leaving = Stopwatch.StartNew();
        await ann.DisconnectAsync();
        await bob.WaitUntilAsync(s => s.All(x => x.User != "ann"), Promptly, "ann removed");

        output.WriteLine($"bob saw ann {seenByBob.TotalMilliseconds:0} ms after starting; her removal reached him {leaving.ElapsedMilliseconds} ms after SIGTERM (incl. the client's 300 ms exit delay)");
    }

    [Fact]
    public async Task ClientsOnTwoNodes_SeeTheRemovalWhenTheOtherNodeStops()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        var docId = await SharedDocumentAsync(a, b);

        await using var ann = await AwarenessClientProcess.StartAsync(a, docId, "ann", cursor: 1);
        await using var bob = await AwarenessClientProcess.StartAsync(b, docId, "bob", cursor: 2);
        await bob.WaitUntilAsync(s => s.Any(x => x.User == "ann" && x.Head == 1), Within, "ann with cursor 1");

        var killing = Stopwatch.StartNew();
        await a.KillAsync();
        await bob.WaitUntilAsync(s => s.All(x => x.User != "ann"), Promptly, "ann removed after her node was killed");

        output.WriteLine($"ann's removal reached bob {killing.ElapsedMilliseconds} ms after kill -9 of her node");
    }

    [Fact]
    public async Task DeviceActivity_ShowsAsTheDevicesOwnCursor_InClientsOnOtherNodes_AndGoesWithTheNode()
    {
        await using var a = await NodeProcess.StartAsync("laptop");
        await using var b = await NodeProcess.StartAsync("desk");
        var docId = await SharedDocumentAsync(a, b);
        await using var bob = await AwarenessClientProcess.StartAsync(b, docId, "bob", cursor: 0);

        // "hello presence": the laptop selects "hello" backwards (anchor 5, caret at 0).
        var put = await a.Http.PutAsJsonAsync("api/activity", new { documents = new[] { new { id = docId, cursor = 0, anchor = 5 } } });
        Assert.True(put.IsSuccessStatusCode, $"PUT /api/activity: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");

        var seen = await bob.WaitUntilAsync(
            s => s.Any(x => x.DeviceId == a.DeviceId && x.User == "laptop" && x.HeadIndex == 0 && x.AnchorIndex == 5),
            Promptly,
            "the laptop's own state with its selection resolved to 0..5");
        output.WriteLine($"bob saw the laptop's selection {seen.TotalMilliseconds:0} ms after the activity was set");

        // The desk lists what the laptop has open: GET /api/peers and `p2psync peers`.
        await Eventually.TrueAsync(
            async () => (await OpenOnAsync(b, a.DeviceId)).Any(d => d.Id == docId && d.Name == "presence"),
            Within,
            async () => $"open on the laptop as the desk sees it: [{string.Join(", ", await OpenOnAsync(b, a.DeviceId))}]");
        var table = await RunCliAsync("peers", "--data", b.DataDirectory);
        var row = table.Split('\n').Single(line => line.Contains(a.DeviceId, StringComparison.Ordinal));
        Assert.Contains("online", row, StringComparison.Ordinal);
        Assert.Contains($"presence ({docId})", row, StringComparison.Ordinal);

        var stopping = Stopwatch.StartNew();
        await a.StopAsync();
        await bob.WaitUntilAsync(s => s.All(x => x.DeviceId != a.DeviceId), Promptly, "the laptop's state removed after it stopped");
        output.WriteLine($"the laptop's state was gone {stopping.ElapsedMilliseconds} ms after SIGTERM to its node");
    }

    private static async Task<IReadOnlyList<PeerActivityDocumentView>> OpenOnAsync(NodeProcess node, string deviceId)
    {
        var peers = await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers") ?? [];
        return peers.SingleOrDefault(p => p.DeviceId == deviceId)?.Open ?? [];
    }

    private static async Task<string> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { NodeProcess.CliDll }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"p2psync {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>Two nodes that trust each other and both have one new document.</summary>
    private static async Task<string> SharedDocumentAsync(NodeProcess a, NodeProcess b)
    {
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        var doc = await a.CreateDocAsync("presence");
        await a.AppendAsync(doc.Id, "hello presence");
        await Eventually.TrueAsync(async () => await b.TextAsync(doc.Id) == "hello presence", Within, () => NodeSyncProcessTests.Describe(doc.Id, a, b));
        return doc.Id;
    }
}
