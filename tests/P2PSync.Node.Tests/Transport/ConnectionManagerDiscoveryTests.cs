using P2PSync.Node.Tests.Support;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport;

/// <summary>How the connection manager reacts to a peer finder (mDNS): dial trusted devices seen nearby at once, never untrusted ones.</summary>
public sealed class ConnectionManagerDiscoveryTests
{
    // Backoff so long that only an immediate dial can happen within a test's time.
    private static readonly ConnectionManagerOptions Slow = new()
    {
        InitialBackoff = TimeSpan.FromHours(1),
        MaxBackoff = TimeSpan.FromHours(1),
        HealthyAfter = TimeSpan.FromSeconds(5),
    };

    private static readonly IPEndPoint Found = new(IPAddress.Parse("192.0.2.7"), 7420);

    [Fact]
    public async Task TrustedDeviceWithoutAddresses_IsDialedAtTheFoundEndpoint_AsSoonAsItIsSeen()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), []);
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: true);
        await using var manager = NewManager(local.Id, peers, dialer, finder);
        manager.Start();
        Assert.Empty(dialer.Attempts);

        finder.Appear(Sighting(remote.Id, Found));

        await WaitUntilAsync(() => manager.Connected().Count == 1);
        Assert.Equal([$"{Found}"], dialer.Attempts.Select(a => a.Address.ToString()));
    }

    [Fact]
    public async Task ABurstOfSightings_TriggersOneDial_NotOnePerSighting()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), []);
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: false);
        await using var manager = NewManager(local.Id, peers, dialer, finder);
        manager.Start();

        // Anyone on the LAN can send sightings of a trusted id with ever new endpoints; each must
        // not skip the backoff again.
        for (var i = 0; i < 50; i++)
        {
            finder.Appear(Sighting(remote.Id, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 7000 + i)));
        }

        await WaitUntilAsync(() => dialer.Attempts.Count >= 1);
        await Task.Delay(300);
        Assert.Single(dialer.Attempts);
    }

    [Fact]
    public async Task UntrustedDevice_IsListedButNeverDialed()
    {
        using var local = DeviceKey.Generate();
        using var stranger = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: true);
        await using var manager = NewManager(local.Id, peers, dialer, finder);
        manager.Start();

        finder.Appear(Sighting(stranger.Id, Found));
        await Task.Delay(300);

        Assert.Empty(dialer.Attempts);
        Assert.Single(finder.Nearby);
        Assert.Empty(manager.Connected());
    }

    [Fact]
    public async Task SightingCutsALongBackoffShort_AndFoundEndpointsComeBeforeStoredAddresses()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), ["198.51.100.1:7420"]);
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: false);
        await using var manager = NewManager(local.Id, peers, dialer, finder);
        manager.Start();
        // The stored address fails; the next attempt would be an hour away.
        await WaitUntilAsync(() => dialer.Attempts.Count == 1);

        dialer.Connect = true;
        finder.Appear(Sighting(remote.Id, Found));

        await WaitUntilAsync(() => manager.Connected().Count == 1);
        Assert.Equal(["198.51.100.1:7420", $"{Found}"], dialer.Attempts.Select(a => a.Address.ToString()));
    }

    [Fact]
    public async Task AddingAPeerThatIsAlreadyNearby_DialsItAtOnce()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: true);
        await using var manager = NewManager(local.Id, peers, dialer, finder);
        manager.Start();
        finder.Appear(Sighting(remote.Id, Found));
        await Task.Delay(100);
        Assert.Empty(dialer.Attempts);

        peers.Add(remote.Id.ToString(), []);

        await WaitUntilAsync(() => manager.Connected().Count == 1);
        Assert.Equal($"{Found}", Assert.Single(dialer.Attempts).Address.ToString());
    }

    [Fact]
    public async Task Gone_KeepsAnEstablishedConnection_AndStopsDialingADeviceWithoutStoredAddresses()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), []);
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: true);
        await using var manager = NewManager(local.Id, peers, dialer, finder, FastBackoff);
        manager.Start();
        finder.Appear(Sighting(remote.Id, Found));
        await WaitUntilAsync(() => manager.Connected().Count == 1);

        finder.Leave(remote.Id);
        await Task.Delay(200);
        Assert.Single(manager.Connected());
        var connection = Assert.Single(dialer.Connections);
        Assert.False(connection.IsDisposed);

        // Once that connection ends there is nowhere left to dial.
        dialer.Connect = false;
        await connection.DisposeAsync();
        await WaitUntilAsync(() => manager.Connected().Count == 0);
        await Task.Delay(300);
        Assert.Single(dialer.Attempts);
    }

    [Fact]
    public async Task SightingWhileConnected_DoesNotDialAgain()
    {
        using var local = DeviceKey.Generate();
        using var remote = DeviceKey.Generate();
        var peers = new PeerBook(new MemoryPeerDirectory(), new Lock());
        peers.Add(remote.Id.ToString(), []);
        var finder = new FakePeerFinder();
        var dialer = new RecordingDialer(connect: true);
        await using var manager = NewManager(local.Id, peers, dialer, finder);
        manager.Start();
        finder.Appear(Sighting(remote.Id, Found));
        await WaitUntilAsync(() => manager.Connected().Count == 1);

        finder.Appear(Sighting(remote.Id, new IPEndPoint(IPAddress.Parse("192.0.2.8"), 7420)));
        await Task.Delay(300);

        Assert.Single(dialer.Attempts);
        Assert.Single(manager.Connected());
    }

    private static readonly ConnectionManagerOptions FastBackoff = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
        HealthyAfter = TimeSpan.FromSeconds(5),
    };

    private static PeerSighting Sighting(DeviceId device, IPEndPoint endpoint) =>
        new(device, "laptop", [endpoint], 1, DateTimeOffset.UnixEpoch);

    private static ConnectionManager NewManager(DeviceId local, PeerBook peers, RecordingDialer dialer, IPeerFinder finder, ConnectionManagerOptions? options = null) =>
        new(local, peers, dialer.DialAsync, (c, ct) => c.ReceiveAsync(ct).AsTask(), TimeProvider.System, new Random(5), options ?? Slow, NullLogger.Instance, finder);

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(10));

    /// <summary>Records every dial; connects (a fake connection) or refuses as told.</summary>
    private sealed class RecordingDialer
    {
        private readonly ConcurrentQueue<(PeerAddress Address, DeviceId Expected)> _attempts = new();
        private readonly ConcurrentQueue<FakeConnection> _connections = new();

        public RecordingDialer(bool connect)
        {
            Connect = connect;
        }

        public volatile bool Connect;

        public IReadOnlyList<(PeerAddress Address, DeviceId Expected)> Attempts => [.. _attempts];

        public IReadOnlyList<FakeConnection> Connections => [.. _connections];

        public Task<IConnection> DialAsync(PeerAddress address, DeviceId expected, CancellationToken cancellationToken)
        {
            _attempts.Enqueue((address, expected));
            if (!Connect)
            {
                throw new IOException("connection refused");
            }

            var connection = new FakeConnection(expected);
            _connections.Enqueue(connection);
            return Task.FromResult<IConnection>(connection);
        }
    }
}
