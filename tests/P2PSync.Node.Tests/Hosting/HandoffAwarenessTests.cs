using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>The host's awareness wiring: this device's state follows its activity to peers, and leaves with the peer.</summary>
public sealed class HandoffAwarenessTests
{
    [Fact]
    public async Task ActivityCursor_ReachesThePeersAwarenessHubAndPeerList_AndIsRemovedWhenTheDeviceLeaves()
    {
        var pair = await HandoffPair.StartAsync(seed: 31);
        await using (pair.B)
        {
            var doc = (await (await pair.A.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!.Id;
            (await pair.A.Http.PostAsJsonAsync($"api/docs/{doc}/append", new AppendRequest("abc", null))).EnsureSuccessStatusCode();

            (await pair.A.Http.PutAsJsonAsync("api/activity", new ActivityRequest([new ActivityDocumentRequest(doc, 2, null, null, null, null)], null))).EnsureSuccessStatusCode();

            await Eventually.HoldsAsync(() => pair.B.Host.Awareness.Hub.States(doc).Count == 1, HandoffPair.Patience);
            Assert.Contains(pair.A.Host.DeviceId, pair.B.Host.Awareness.Hub.States(doc)[0].StateJson, StringComparison.Ordinal);

            // GET /api/peers names what the peer has open (from its Presence).
            await Eventually.HoldsAsync(() => pair.B.Host.Handoff.PeerActivities.Values.Any(p => p.Documents.Count == 1), HandoffPair.Patience);
            var peer = Assert.Single((await pair.B.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!);
            Assert.Equal([new PeerActivityDocumentView(doc, "d")], peer.Open);

            await pair.A.DisposeAsync();
            await Eventually.HoldsAsync(() => pair.B.Host.Awareness.Hub.States(doc).Count == 0, HandoffPair.Patience);
            await Eventually.HoldsAsync(() => pair.B.Host.ConnectedDevices().Count == 0, HandoffPair.Patience);
            Assert.Empty(Assert.Single((await pair.B.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!).Open!);
        }
    }
}
