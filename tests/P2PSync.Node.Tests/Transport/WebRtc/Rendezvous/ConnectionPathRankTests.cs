using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

/// <summary>The connection manager prefers a LAN connection to a WebRTC one, whoever dialed, and keeps trying the LAN while on WebRTC; equal paths keep the usual tie-break.</summary>
public sealed class ConnectionPathRankTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Lan_ReplacesWebRtc_AndWebRtcNeverReplacesLan(bool lanInitiatedLocally)
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        await using var manager = NewManager(local.Id, remote.Id);

        var webRtc = new PathConnection(remote.Id, "webrtc");
        Assert.True(manager.Offer(webRtc, initiatedLocally: !lanInitiatedLocally));
        var lan = new PathConnection(remote.Id, "lan");
        Assert.True(manager.Offer(lan, initiatedLocally: lanInitiatedLocally));
        await Eventually.HoldsAsync(() => webRtc.IsDisposed, TimeSpan.FromSeconds(10));
        Assert.False(lan.IsDisposed);

        var late = new PathConnection(remote.Id, "webrtc");
        Assert.True(manager.Offer(late, initiatedLocally: !lanInitiatedLocally));
        Assert.True(late.IsDisposed);
        Assert.False(lan.IsDisposed);
        Assert.Single(manager.Connected());
    }

    [Fact]
    public async Task WebRtc_ReplacesWebRtc_ByTheUsualRule()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        await using var manager = NewManager(local.Id, remote.Id);

        // Same initiator twice (the offerer redials after losing the old one): the newer wins.
        var first = new PathConnection(remote.Id, "webrtc");
        var second = new PathConnection(remote.Id, "webrtc");
        manager.Offer(first, initiatedLocally: false);
        manager.Offer(second, initiatedLocally: false);
        await Eventually.HoldsAsync(() => first.IsDisposed, TimeSpan.FromSeconds(10));
        Assert.False(second.IsDisposed);
    }

    [Fact]
    public async Task WhileOnWebRtc_TheLanAddressesAreTriedAgain_AndTheLanConnectionTakesOver()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var dials = 0;
        PathConnection? lan = null;
        Task<IConnection> Dial(PeerAddress address, DeviceId expected, CancellationToken ct)
        {
            // The first tries fail (the LAN is not there yet), then it answers.
            if (Interlocked.Increment(ref dials) < 3)
            {
                throw new IOException("no route yet");
            }

            lan = new PathConnection(expected, "lan");
            return Task.FromResult<IConnection>(lan);
        }

        var options = new ConnectionManagerOptions { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(20) };
        await using var manager = NewManager(local.Id, remote.Id, ["127.0.0.1:9"], Dial, options);
        var webRtc = new PathConnection(remote.Id, "webrtc");
        manager.Offer(webRtc, initiatedLocally: true);
        manager.Start();

        await Eventually.HoldsAsync(() => webRtc.IsDisposed && lan is { IsDisposed: false }, TimeSpan.FromSeconds(10));
        Assert.True(dials >= 3);
        Assert.Single(manager.Connected());
    }

    private static ConnectionManager NewManager(DeviceId local, DeviceId remote, IReadOnlyList<string>? addresses = null, ConnectionManager.Dialer? dial = null, ConnectionManagerOptions? options = null)
    {
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.ToString(), addresses ?? []);
        return new ConnectionManager(
            local,
            peers,
            dial ?? ((PeerAddress _, DeviceId _, CancellationToken _) => throw new IOException("no dialing in this test")),
            (c, ct) => c.ReceiveAsync(ct).AsTask(),
            TimeProvider.System,
            new Random(3),
            options ?? new ConnectionManagerOptions(),
            NullLogger.Instance);
    }
}
