using System.Net.Http.Json;
using P2PSync.Interop.Tests.Spaces;
using P2PSync.Node.Api;

namespace P2PSync.Interop.Tests.Node;

/// <summary>Real <c>p2psync up</c> processes syncing over loopback TCP (Noise-encrypted).</summary>
[Collection("node processes")]
public sealed class NodeSyncProcessTests
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoNodes_EditsOnEach_Converge()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await a.TrustAsync(b);
        await b.TrustAsync(a);

        var doc = await a.CreateDocAsync("shared");
        await a.AppendAsync(doc.Id, "[a0]");
        await Eventually.TrueAsync(async () => await b.TextAsync(doc.Id) == "[a0]", Convergence, () => Describe(doc.Id, a, b));

        var edits = new List<Task>();
        for (var i = 1; i <= 10; i++)
        {
            edits.Add(a.AppendAsync(doc.Id, $"[a{i}]"));
            edits.Add(b.AppendAsync(doc.Id, $"[b{i}]"));
        }

        await Task.WhenAll(edits);
        await ConvergedAsync(doc.Id, Enumerable.Range(1, 10).SelectMany(i => new[] { $"[a{i}]", $"[b{i}]" }).Append("[a0]").ToList(), a, b);
        await Eventually.TrueAsync(
            async () => (await a.StatusAsync()).Docs.Single().Peers[b.DeviceId] == "in sync" && (await b.StatusAsync()).Docs.Single().Peers[a.DeviceId] == "in sync",
            Convergence,
            async () => $"status a: {System.Text.Json.JsonSerializer.Serialize(await a.StatusAsync())}");

        // Stopped peers are reported by what they have not been sent yet.
        Assert.Equal(0, await b.StopAsync());
        await a.AppendAsync(doc.Id, "[a-after]");
        await Eventually.TrueAsync(
            async () => (await a.StatusAsync()).Docs.Single().Peers[b.DeviceId] == "behind by 1 update (offline)",
            Convergence,
            async () => $"status a: {System.Text.Json.JsonSerializer.Serialize(await a.StatusAsync())}");
    }

    [Fact]
    public async Task ThreeNodes_InALine_RelayAndConverge()
    {
        // a - b - c: a and c never connect, so everything between them goes through b. Trust is
        // per pair (a's personal space is shared with b only), so the document lives in a space b
        // creates: `space new` makes every device b trusts an owner, so all three are members and
        // b relays a's and c's signed records unchanged.
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await using var c = await NodeProcess.StartAsync("c");
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        await b.TrustAsync(c);
        await c.TrustAsync(b);

        var space = await b.Http.CreateSpaceAsync("line");
        await Eventually.TrueAsync(async () => (await c.Http.GetAsync($"api/spaces/{space}")).IsSuccessStatusCode, Convergence, () => Task.FromResult("c never got the space"));
        var doc = await c.Http.CreateDocInAsync("line", space);
        await Eventually.TrueAsync(async () => await a.TextAsync(doc.Id) is not null, Convergence, () => Describe(doc.Id, a, b, c));

        // A document in c's personal space stays between c and b: a is not one of the devices c trusts.
        var personal = await c.CreateDocAsync("c only");
        await Eventually.TrueAsync(async () => await b.TextAsync(personal.Id) is not null, Convergence, () => Describe(personal.Id, a, b, c));
        Assert.Null(await a.TextAsync(personal.Id));
        var edits = new List<Task>();
        foreach (var (node, tag) in new[] { (a, "a"), (b, "b"), (c, "c") })
        {
            for (var i = 0; i < 5; i++)
            {
                edits.Add(node.AppendAsync(doc.Id, $"<{tag}{i}>"));
            }
        }

        await Task.WhenAll(edits);
        var expected = new[] { "a", "b", "c" }.SelectMany(t => Enumerable.Range(0, 5).Select(i => $"<{t}{i}>")).ToList();
        await ConvergedAsync(doc.Id, expected, a, b, c);

        // A rename on one end reaches the other end through the middle.
        await a.RenameAsync(doc.Id, "renamed on a");
        await Eventually.TrueAsync(async () => await c.NameAsync(doc.Id) == "renamed on a", Convergence, () => Describe(doc.Id, a, b, c));
    }

    [Fact]
    public async Task OfflineEdits_AreExchangedAfterReconnect()
    {
        await using var a = await NodeProcess.StartAsync("a");
        var bData = Path.Combine(Path.GetTempPath(), "p2psync-node-" + Guid.NewGuid().ToString("N"));
        try
        {
            var b = await NodeProcess.StartAsync("b", bData);
            await a.TrustAsync(b);
            await b.TrustAsync(a);
            var doc = await a.CreateDocAsync("offline");
            await Eventually.TrueAsync(async () => await b.TextAsync(doc.Id) is not null, Convergence, () => Describe(doc.Id, a, b));
            var bPort = b.Port;
            Assert.Equal(0, await b.StopAsync());
            await b.DisposeAsync();

            await a.AppendAsync(doc.Id, "while b was away;");

            // b comes back on the same port, so a's redial (with backoff) finds it.
            await using var b2 = await NodeProcess.StartAsync("b", bData, bPort);
            await b2.AppendAsync(doc.Id, "b is back;");
            await ConvergedAsync(doc.Id, ["while b was away;", "b is back;"], a, b2);
        }
        finally
        {
            Directory.Delete(bData, recursive: true);
        }
    }

    internal static async Task ConvergedAsync(string docId, IReadOnlyList<string> parts, params NodeProcess[] nodes)
    {
        await Eventually.TrueAsync(
            async () =>
            {
                var texts = await Task.WhenAll(nodes.Select(n => n.TextAsync(docId)));
                return texts.All(t => t is not null && t == texts[0] && parts.All(p => t.Contains(p, StringComparison.Ordinal)));
            },
            Convergence,
            () => Describe(docId, nodes));
    }

    internal static async Task<string> Describe(string docId, params NodeProcess[] nodes)
    {
        var lines = new List<string>();
        foreach (var node in nodes)
        {
            lines.Add($"{node.DeviceId[..8]} text={await node.TextAsync(docId) ?? "(no doc)"}\n--- log ---\n{node.Log}");
        }

        return string.Join("\n", lines);
    }
}
