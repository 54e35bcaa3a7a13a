using P2PSync.Node.Tests.Storage;
using P2PSync.Node.Tests.Support;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Node.Hosting;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Discovery;

/// <summary><see cref="MdnsDiscovery"/> over an in-memory LAN: responder + browser on one loop, sightings, goodbyes, hostile input.</summary>
public sealed class MdnsDiscoveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TwoNodes_SeeEachOther_WithIdNameEndpointAndProtocol_ButNotThemselves()
    {
        var lan = new FakeMdnsLan();
        await using var a = TestNode.Start(lan, "10.0.0.1", "alpha", seed: 1);
        await using var b = TestNode.Start(lan, "10.0.0.2", "beta", seed: 2);
        var seenByB = new List<PeerSighting>();
        b.Discovery.Seen += s =>
        {
            lock (seenByB)
            {
                seenByB.Add(s);
            }
        };

        await WaitUntilAsync(() => a.Discovery.Nearby.Count == 1 && b.Discovery.Nearby.Count == 1);

        var alpha = Assert.Single(b.Discovery.Nearby);
        Assert.Equal(a.Id, alpha.Device);
        Assert.Equal("alpha", alpha.Name);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.1"), 7420)], alpha.Endpoints);
        Assert.Equal((int)P2PSync.Node.Sync.SyncProtocolVersion.Current, alpha.ProtocolVersion);
        Assert.Equal(b.Id, Assert.Single(a.Discovery.Nearby).Device);
        lock (seenByB)
        {
            Assert.Contains(seenByB, s => s.Device == a.Id);
        }

        Assert.Equal(0, b.Discovery.MalformedPackets);
        Assert.Equal(0, b.Discovery.EngineFailures);
    }

    [Fact]
    public async Task Goodbye_DropsTheDeviceAtOnce_WithoutTheBrowsersOneSecondGrace()
    {
        var lan = new FakeMdnsLan();
        var a = TestNode.Start(lan, "10.0.0.1", "alpha", seed: 3);
        await using var b = TestNode.Start(lan, "10.0.0.2", "beta", seed: 4);
        await WaitUntilAsync(() => b.Discovery.Nearby.Count == 1);
        var gone = new TaskCompletionSource<DeviceId>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Discovery.Gone += d => gone.TrySetResult(d);

        var clock = Stopwatch.StartNew();
        await a.DisposeAsync();
        var left = await gone.Task.WaitAsync(Patience);

        Assert.Equal(a.Id, left);
        Assert.Empty(b.Discovery.Nearby);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(700), $"dropped after {clock.ElapsedMilliseconds} ms");
        Assert.True(a.Socket.IsDisposed);
    }

    [Fact]
    public async Task GoodbyeTogetherWithALiveRecord_IsAnUpdateNotALeave_WhileALoneGoodbyeHidesAtOnce()
    {
        var lan = new FakeMdnsLan();
        await using var a = TestNode.Start(lan, "10.0.0.1", "alpha", seed: 14);
        await using var b = TestNode.Start(lan, "10.0.0.2", "beta", seed: 15);
        await WaitUntilAsync(() => b.Discovery.Nearby.Count == 1);
        var gone = 0;
        b.Discovery.Gone += _ => Interlocked.Increment(ref gone);
        var instance = MdnsNames.P2PSyncService.Prepend("alpha");
        var host = DnsName.Parse($"p2psync-{a.Id.ToString()[..10].ToLowerInvariant()}.local");
        var from = new IPEndPoint(IPAddress.Parse("10.0.0.1"), MdnsNames.Port);

        // A port change: the old SRV's goodbye and the new SRV in one message.
        var moved = DnsMessage.Response([
            new DnsRecord(instance, DnsRecordType.SRV, true, 0, new SrvData(0, 0, 7420, host)),
            new DnsRecord(instance, DnsRecordType.SRV, true, 120, new SrvData(0, 0, 7421, host)),
        ]);
        b.Socket.Inject(DnsCodec.Encode(moved), from);
        await WaitUntilAsync(() => b.Discovery.Nearby.Any(s => s.Endpoints.Any(e => e.Port == 7421)));
        Assert.Equal(0, Volatile.Read(ref gone));

        var bye = DnsMessage.Response([new DnsRecord(MdnsNames.P2PSyncService, DnsRecordType.PTR, false, 0, new PtrData(instance))]);
        var clock = Stopwatch.StartNew();
        b.Socket.Inject(DnsCodec.Encode(bye), from);
        await WaitUntilAsync(() => b.Discovery.Nearby.Count == 0);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(700), $"hidden after {clock.ElapsedMilliseconds} ms");
        // Gone is raised just after the entry leaves Nearby (on the discovery loop), so wait for it
        // rather than read it in the same instant; it must come exactly once.
        await WaitUntilAsync(() => Volatile.Read(ref gone) >= 1);
        Assert.Equal(1, Volatile.Read(ref gone));
    }

    [Fact]
    public async Task ServicesWithoutAUsableDeviceId_AreNotSightings()
    {
        var lan = new FakeMdnsLan();
        await using var b = TestNode.Start(lan, "10.0.0.2", "beta", seed: 5);
        var garbage = new ServiceProfile("junk", "junk-host", 7000, new Dictionary<string, string> { ["id"] = "not-a-device-id", ["proto"] = "1" });
        var missing = new ServiceProfile("plain", "plain-host", 7001, new Dictionary<string, string> { ["txtvers"] = "1" });
        await using var junk = TestNode.Start(lan, "10.0.0.3", garbage, Id(6), seed: 6);
        await using var plain = TestNode.Start(lan, "10.0.0.4", missing, Id(7), seed: 7);
        await using var good = TestNode.Start(lan, "10.0.0.5", "good", seed: 8);

        await WaitUntilAsync(() => b.Discovery.Nearby.Any(s => s.Device == good.Id));
        await Task.Delay(1500);

        Assert.Equal([good.Id], b.Discovery.Nearby.Select(s => s.Device));
    }

    [Fact]
    public async Task InterfacesComingAndGoing_StartAndStopDiscoveryWithoutARestart()
    {
        var lan = new FakeMdnsLan();
        await using var a = TestNode.Start(lan, "10.0.0.1", "alpha", seed: 9);
        await using var b = TestNode.Start(lan, "10.0.0.2", "beta", seed: 10, interfaceUp: false);
        await Task.Delay(1500);
        Assert.Empty(b.Discovery.Nearby);

        b.SetInterfaceUp(true);
        await WaitUntilAsync(() => b.Discovery.Nearby.Any(s => s.Device == a.Id));

        b.SetInterfaceUp(false);
        await WaitUntilAsync(() => b.Discovery.Nearby.Count == 0);
    }

    [Fact]
    public async Task HostileAndMutatedPackets_AreCountedAndDropped_AndTheLoopKeepsWorking()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var lan = new FakeMdnsLan();
        await using var a = TestNode.Start(lan, "10.0.0.1", "alpha", seed: 11);
        await using var b = TestNode.Start(lan, "10.0.0.2", "beta", seed: 12);
        await WaitUntilAsync(() => b.Discovery.Nearby.Count == 1);
        var genuine = lan.Sent.Select(s => s.Payload).Where(p => p.Length > 12).ToList();
        var attacker = new IPEndPoint(IPAddress.Parse("10.0.0.66"), MdnsNames.Port);

        foreach (var packet in HostilePackets(genuine, random))
        {
            b.Socket.Inject(packet, attacker);
        }

        // The same loop still takes in a newcomer, so nothing above stopped or wedged it.
        await using var c = TestNode.Start(lan, "10.0.0.3", "gamma", seed: 13);
        await WaitUntilAsync(() => b.Discovery.Nearby.Any(s => s.Device == c.Id));
        Assert.True(b.Discovery.MalformedPackets > 0, $"seed {seed}: no packet was counted as malformed");
        Assert.True(b.Discovery.EngineFailures == 0, $"seed {seed}: an engine threw {b.Discovery.EngineFailures} times");
    }

    [Fact]
    public async Task DisposeWithoutStart_ReleasesTheSocket()
    {
        var lan = new FakeMdnsLan();
        var socket = lan.Join(IPAddress.Parse("10.0.0.9"), 2);
        var monitor = new InterfaceMonitor(() => [socket.Candidate], TimeProvider.System, false, NullLogger.Instance);
        var discovery = new MdnsDiscovery(new MdnsDiscoveryOptions(null, null), socket, monitor, TimeProvider.System, new Random(1), NullLogger.Instance);

        await discovery.DisposeAsync();

        Assert.True(socket.IsDisposed);
        Assert.Throws<ObjectDisposedException>(discovery.Start);
    }

    /// <summary>Junk, truncations, bit flips and pointer loops, from a seeded generator over genuine packets.</summary>
    private static IEnumerable<byte[]> HostilePackets(IReadOnlyList<byte[]> genuine, Random random)
    {
        yield return [];
        yield return [0, 0, 0x84, 0];
        // Header claims 65535 answers with no bytes behind it.
        yield return [0, 0, 0x84, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0];
        // A question whose name is a pointer to itself.
        yield return [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 12, 0, 1];
        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(1, 600)];
            random.NextBytes(junk);
            yield return junk;
        }

        for (var i = 0; i < 400 && genuine.Count > 0; i++)
        {
            var packet = (byte[])genuine[random.Next(genuine.Count)].Clone();
            switch (random.Next(3))
            {
                case 0:
                    yield return packet[..random.Next(1, packet.Length)];
                    break;
                case 1:
                    for (var flips = random.Next(1, 8); flips > 0; flips--)
                    {
                        packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    yield return packet;
                    break;
                default:
                    packet[random.Next(12, packet.Length)] = 0xC0;
                    yield return packet;
                    break;
            }
        }
    }

    private static DeviceId Id(int seed) => TestDevices.Make(seed);

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.HoldsAsync(condition, Patience);

    /// <summary>One discovery instance on the fake LAN with an interface monitor the test can switch.</summary>
    private sealed class TestNode : IAsyncDisposable
    {
        private volatile bool _interfaceUp;

        private TestNode(FakeMdnsSocket socket, DeviceId id, bool interfaceUp)
        {
            Socket = socket;
            Id = id;
            _interfaceUp = interfaceUp;
            Monitor = new InterfaceMonitor(() => _interfaceUp ? [Socket.Candidate] : [], TimeProvider.System, false, NullLogger.Instance);
        }

        public FakeMdnsSocket Socket { get; }

        public DeviceId Id { get; }

        public InterfaceMonitor Monitor { get; }

        public MdnsDiscovery Discovery { get; private set; } = null!;

        public static TestNode Start(FakeMdnsLan lan, string address, string name, int seed, bool interfaceUp = true)
        {
            var id = Id(seed + 1000);
            return Start(lan, address, NodeHost.Profile(name, id, 7420), id, seed, interfaceUp);
        }

        public static TestNode Start(FakeMdnsLan lan, string address, ServiceProfile profile, DeviceId id, int seed, bool interfaceUp = true)
        {
            var node = new TestNode(lan.Join(IPAddress.Parse(address), 2), id, interfaceUp);
            node.Discovery = new MdnsDiscovery(new MdnsDiscoveryOptions(profile, id), node.Socket, node.Monitor, TimeProvider.System, new Random(seed), NullLogger.Instance);
            node.Discovery.Start();
            return node;
        }

        public void SetInterfaceUp(bool up)
        {
            _interfaceUp = up;
            Monitor.Refresh();
        }

        public ValueTask DisposeAsync() => Discovery.DisposeAsync();
    }
}
