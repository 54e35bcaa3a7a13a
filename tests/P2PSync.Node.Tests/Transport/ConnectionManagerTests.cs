using P2PSync.Node.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport;

public sealed class ConnectionManagerTests
{
    private static readonly ConnectionManagerOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
        HealthyAfter = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task SimultaneousDials_KeepTheConnectionInitiatedByTheLowerDeviceId_OnBothSides()
    {
        using var k1 = DeviceKey.Generate();
        using var k2 = DeviceKey.Generate();
        var (low, high) = string.CompareOrdinal(k1.Id.ToString(), k2.Id.ToString()) < 0 ? (k1.Id, k2.Id) : (k2.Id, k1.Id);

        // The low side's view: an outgoing connection (initiated by low) and an incoming one (initiated by high).
        var lowKeeps = await OfferBothAsync(local: low, remote: high);
        // The high side's view of the same two sockets: incoming from low, outgoing of its own.
        var highKeeps = await OfferBothAsync(local: high, remote: low);

        Assert.Equal("outgoing", lowKeeps);
        Assert.Equal("incoming", highKeeps);
    }

    [Fact]
    public async Task Offer_FromUntrustedDevice_IsClosed()
    {
        using var local = DeviceKey.Generate();
        using var stranger = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        await using var manager = NewManager(local.Id, peers, FailingDialer, (c, ct) => c.ReceiveAsync(ct).AsTask());
        var connection = new FakeConnection(stranger.Id);

        Assert.False(manager.Offer(connection, initiatedLocally: false));

        Assert.True(connection.IsDisposed);
        Assert.Empty(manager.Connected());
    }

    [Fact]
    public async Task Dialer_RetriesWithBackoffUntilItConnects_AndRedialsAfterADrop()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), ["127.0.0.1:9"]);
        var attempts = 0;
        var connections = new List<FakeConnection>();
        Task<IConnection> Dial(PeerAddress address, DeviceId expected, CancellationToken ct)
        {
            Assert.Equal(remote.Id, expected);
            if (Interlocked.Increment(ref attempts) <= 3)
            {
                throw new IOException("connection refused");
            }

            var connection = new FakeConnection(expected);
            lock (connections)
            {
                connections.Add(connection);
            }

            return Task.FromResult<IConnection>(connection);
        }

        await using var manager = NewManager(local.Id, peers, Dial, (c, ct) => c.ReceiveAsync(ct).AsTask());
        manager.Start();
        await WaitUntilAsync(() => manager.Connected().Count == 1);
        Assert.Equal(4, Volatile.Read(ref attempts));

        FakeConnection first;
        lock (connections)
        {
            first = connections[0];
        }

        await first.DisposeAsync();
        await WaitUntilAsync(() =>
        {
            lock (connections)
            {
                return connections.Count == 2 && manager.Connected().Count == 1;
            }
        });
    }

    [Fact]
    public async Task RemovingAPeer_ClosesItsConnection()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), []);
        await using var manager = NewManager(local.Id, peers, FailingDialer, (c, ct) => c.ReceiveAsync(ct).AsTask());
        manager.Start();
        var connection = new FakeConnection(remote.Id);
        Assert.True(manager.Offer(connection, initiatedLocally: false));

        peers.Remove(remote.Id.ToString());

        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => manager.Connected().Count == 0);
    }

    private static async Task<string> OfferBothAsync(DeviceId local, DeviceId remote)
    {
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.ToString(), []);
        await using var manager = NewManager(local, peers, FailingDialer, (c, ct) => c.ReceiveAsync(ct).AsTask());
        var outgoing = new FakeConnection(remote);
        var incoming = new FakeConnection(remote);

        manager.Offer(outgoing, initiatedLocally: true);
        manager.Offer(incoming, initiatedLocally: false);
        await WaitUntilAsync(() => outgoing.IsDisposed || incoming.IsDisposed);

        Assert.Single(manager.Connected());
        Assert.NotEqual(outgoing.IsDisposed, incoming.IsDisposed);
        return outgoing.IsDisposed ? "incoming" : "outgoing";
    }

    private static Task<IConnection> FailingDialer(PeerAddress address, DeviceId expected, CancellationToken ct) =>
        throw new IOException("no dialing in this test");

    private static ConnectionManager NewManager(DeviceId local, PeerBook peers, ConnectionManager.Dialer dial, ConnectionManager.Server serve) =>
        new(local, peers, dial, serve, TimeProvider.System, new Random(3), Fast, NullLogger.Instance);

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(10));
}
