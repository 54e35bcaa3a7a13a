using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>Per peer the API says how changes reach it (a direct LAN connection here) and the measured round trip.</summary>
public sealed class PeerPathTests
{
    [Fact]
    public async Task AConnectedPeer_IsReachedOverTheLan_WithAMeasuredRoundTrip()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 61);
        PeerView? seen = null;
        await Eventually.HoldsAsync(
            () =>
            {
                seen = pair.A.Http.GetFromJsonAsync<List<PeerView>>("api/peers").GetAwaiter().GetResult()!.Single();
                return seen.RttMs is not null;
            },
            HandoffPair.Patience);

        Assert.Equal("lan", seen!.Path);
        Assert.InRange(seen.RttMs!.Value, 0.0, 5_000.0);
        Assert.True(pair.A.Host.RoundTripOf(pair.B.Host.DeviceId) > TimeSpan.Zero);
    }

    [Fact]
    public async Task AnOfflinePeerWithoutARelay_HasNoPath()
    {
        await using var node = await Api.TestNode.StartAsync(listen: true, seed: 62);
        using var other = P2PSync.Node.Identity.DeviceKey.Generate();
        (await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(other.Id.ToString(), null))).EnsureSuccessStatusCode();

        var peer = (await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!.Single();

        Assert.False(peer.Connected);
        Assert.Null(peer.Path);
        Assert.Null(peer.RttMs);
    }
}
