using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>Two in-process nodes on loopback TCP that trust each other and are connected (B dials A).</summary>
internal sealed class HandoffPair : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private HandoffPair(TestNode a, TestNode b)
    {
        A = a;
        B = b;
    }

    public TestNode A { get; }

    public TestNode B { get; }

    public static async Task<HandoffPair> StartAsync(int seed = 1)
    {
        var a = await TestNode.StartAsync(listen: true, seed: seed);
        var b = await TestNode.StartAsync(listen: true, seed: seed + 1);
        (await a.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(b.Host.DeviceId, null))).EnsureSuccessStatusCode();
        (await b.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(a.Host.DeviceId, [$"127.0.0.1:{a.Host.ListenPort}"]))).EnsureSuccessStatusCode();
        var pair = new HandoffPair(a, b);
        // Connected, and each has the other's Presence (sent right after the sync Hello).
        await Eventually.HoldsAsync(
            () => a.Host.Handoff.PeerActivities.Count == 1 && b.Host.Handoff.PeerActivities.Count == 1,
            Patience);
        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
