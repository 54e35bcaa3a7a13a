using System.Net.Http.Json;
using System.Text.Json;
using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Drives presence and handoff on real nodes the way scripts and apps do: the <c>p2psync
/// activity</c>/<c>handoff</c> verbs for the steps under test, the local API for looking around
/// (docs/dev/handoff-contract.md names both).
/// </summary>
internal static class HandoffDriver
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Trusts both ways (with addresses) and returns at once: they connect in the background.</summary>
    public static async Task TrustBothAsync(NodeProcess a, NodeProcess b)
    {
        await a.TrustAsync(b);
        await b.TrustAsync(a);
    }

    /// <summary>Trusts both ways (with addresses) and waits until each lists the other as connected.</summary>
    public static async Task ConnectAsync(NodeProcess a, NodeProcess b)
    {
        await TrustBothAsync(a, b);
        await Eventually.TrueAsync(
            async () => await IsConnectedAsync(a, b) && await IsConnectedAsync(b, a),
            Bound,
            async () => $"a peers: {await a.Http.GetStringAsync("api/peers")}\nb peers: {await b.Http.GetStringAsync("api/peers")}\n--- a log ---\n{a.Log}\n--- b log ---\n{b.Log}");
    }

    public static async Task<bool> IsConnectedAsync(NodeProcess node, NodeProcess peer)
    {
        using var peers = JsonDocument.Parse(await node.Http.GetStringAsync("api/peers"));
        return peers.RootElement.EnumerateArray().Any(p => p.GetProperty("deviceId").GetString() == peer.DeviceId && p.GetProperty("connected").GetBoolean());
    }

    /// <summary><c>p2psync activity set --doc ID --cursor N [--anchor M] [--state JSON]</c>.</summary>
    public static Task<CliResult> SetActivityAsync(NodeProcess node, string docId, int cursor, int? anchor = null, string? stateJson = null)
    {
        var args = new List<string> { "activity", "set", "--doc", docId, "--cursor", cursor.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (anchor is { } a)
        {
            args.AddRange(["--anchor", a.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (stateJson is not null)
        {
            args.AddRange(["--state", stateJson]);
        }

        return P2PSyncCli.SucceedAsync(node, [.. args]);
    }

    /// <summary><c>p2psync activity show</c>, parsed.</summary>
    public static async Task<ActivitySnapshot> ShowActivityAsync(NodeProcess node) =>
        ActivitySnapshot.Parse((await P2PSyncCli.SucceedAsync(node, "activity", "show")).Stdout);

    /// <summary><c>GET /api/activity</c>, parsed.</summary>
    public static async Task<ActivitySnapshot> ApiActivityAsync(NodeProcess node) =>
        ActivitySnapshot.Parse(await node.Http.GetStringAsync("api/activity"));

    /// <summary><c>GET /api/handoff</c>'s handoffs.</summary>
    public static async Task<IReadOnlyList<HandoffListing>> HandoffsAsync(NodeProcess node)
    {
        using var listing = JsonDocument.Parse(await node.Http.GetStringAsync("api/handoff"));
        return listing.RootElement.GetProperty("handoffs").EnumerateArray().Select(HandoffListing.Parse).ToList();
    }

    /// <summary>True once <c>GET /api/handoff</c> on <paramref name="node"/> lists <paramref name="peer"/>'s activity with <paramref name="docId"/> in it.</summary>
    public static async Task<bool> SeesActivityAsync(NodeProcess node, NodeProcess peer, string docId)
    {
        var listing = await node.Http.GetStringAsync("api/handoff");
        using var json = JsonDocument.Parse(listing);
        return json.RootElement.GetProperty("activities").EnumerateArray().Any(a =>
            a.GetProperty("deviceId").GetString() == peer.DeviceId && a.GetProperty("documents").GetRawText().Contains(docId, StringComparison.Ordinal));
    }

    /// <summary>Waits until <paramref name="node"/> holds an incoming offer from <paramref name="from"/> in state Offered; returns it.</summary>
    public static async Task<HandoffListing> IncomingOfferAsync(NodeProcess node, NodeProcess from)
    {
        HandoffListing? offer = null;
        await Eventually.TrueAsync(
            async () =>
            {
                offer = (await HandoffsAsync(node)).FirstOrDefault(h => h.IsIncoming && h.Peer == from.DeviceId && h.Is("Offered"));
                return offer is not null;
            },
            Bound,
            async () => $"handoffs on {node.DeviceId[..8]}: {await node.Http.GetStringAsync("api/handoff")}\n--- log ---\n{node.Log}");
        return offer!;
    }

    /// <summary><c>POST /api/handoff/offer {to}</c> (202 {id}); returns the handoff id.</summary>
    public static async Task<string> OfferViaApiAsync(NodeProcess node, NodeProcess to)
    {
        var response = await node.Http.PostAsJsonAsync("api/handoff/offer", new { to = to.DeviceId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"offer: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary><c>POST /api/handoff/pull {from}</c> (202 {id}); returns the handoff id.</summary>
    public static async Task<string> PullViaApiAsync(NodeProcess node, NodeProcess from)
    {
        var response = await node.Http.PostAsJsonAsync("api/handoff/pull", new { from = from.DeviceId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"pull: {(int)response.StatusCode} {body}\n--- log ---\n{node.Log}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Appends <paramref name="totalChars"/> of text in <paramref name="pieces"/> distinct appends; returns the pieces in order.</summary>
    public static async Task<IReadOnlyList<string>> AppendLargeAsync(NodeProcess node, string docId, int totalChars, int pieces)
    {
        var parts = new List<string>();
        for (var i = 0; i < pieces; i++)
        {
            // Each piece starts with its own marker so a prefix of pieces is recognisable in a partial copy.
            var marker = $"<piece {i}>";
            var piece = marker + new string((char)('a' + (i % 26)), (totalChars / pieces) - marker.Length);
            await node.AppendAsync(docId, piece);
            parts.Add(piece);
        }

        return parts;
    }

    /// <summary><c>PUT /api/activity</c> with several documents (the CLI sets one); cursors as indexes into <c>text</c>.</summary>
    public static async Task PutActivityAsync(NodeProcess node, IEnumerable<(string DocId, int Cursor)> documents, string? stateJson = null)
    {
        var body = new
        {
            documents = documents.Select(d => new { id = d.DocId, cursor = d.Cursor }).ToList(),
            state = stateJson is null ? (JsonElement?)null : JsonDocument.Parse(stateJson).RootElement,
        };
        var response = await node.Http.PutAsJsonAsync("api/activity", body);
        Assert.True(response.IsSuccessStatusCode, $"PUT /api/activity: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls <c>GET /api/handoff</c> on <paramref name="node"/> every few ms until it lists <paramref name="peer"/>'s activity with <paramref name="docId"/>.</summary>
    public static async Task WaitForActivityAsync(NodeProcess node, NodeProcess peer, string docId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await SeesActivityAsync(node, peer, docId))
        {
            if (clock.Elapsed > Bound)
            {
                Assert.Fail($"{node.DeviceId[..8]} never saw {peer.DeviceId[..8]}'s activity with {docId}: {await node.Http.GetStringAsync("api/handoff")}\n--- log ---\n{node.Log}");
            }

            // Short: the large-document tests race this against the plain sync of the same document.
            await Task.Delay(5);
        }
    }
}
