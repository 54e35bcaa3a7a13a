using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Identity;
using P2PSync.Simulation.Tests.Support;

namespace P2PSync.Simulation.Tests.Transport;

public sealed class InMemoryNetworkTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly DeviceId _a = SessionPair.NewDevice(new Random(1));
    private readonly DeviceId _b = SessionPair.NewDevice(new Random(2));

    [Fact]
    public void Messages_arrive_in_order_after_their_latency()
    {
        var network = new InMemoryNetwork(new Random(3), _time, new InMemoryNetworkOptions { MinLatency = TimeSpan.FromMilliseconds(1), MaxLatency = TimeSpan.FromMilliseconds(50) });
        var listener = network.Listen(_b);
        var dialer = network.Connect(_a, _b);
        Assert.True(listener.TryAccept(out var accepted));
        Assert.Equal(_a, accepted.RemoteDevice);
        Assert.Equal(_b, dialer.RemoteDevice);
        Assert.Equal("memory", dialer.Path);

        for (var i = 0; i < 200; i++)
        {
            dialer.Send([(byte)i]);
        }

        Assert.False(accepted.TryReceive(out _));
        _time.Advance(TimeSpan.FromMilliseconds(60));
        for (var i = 0; i < 200; i++)
        {
            Assert.True(accepted.TryReceive(out var message));
            Assert.Equal((byte)i, message[0]);
        }

        Assert.Equal(0, network.InFlightCount);
    }

    [Fact]
    public async Task Async_receive_and_accept_work_with_the_manual_clock()
    {
        var network = new InMemoryNetwork(new Random(3), _time);
        await using var listener = network.Listen(_b);
        var accepting = listener.AcceptAsync(CancellationToken.None).GetAsyncEnumerator();
        var dialer = await network.ConnectAsync(_a, _b, CancellationToken.None);
        Assert.True(await accepting.MoveNextAsync());
        var accepted = accepting.Current;

        var receive = accepted.ReceiveAsync(CancellationToken.None).AsTask();
        await dialer.SendAsync(new byte[] { 42 }, CancellationToken.None);
        Assert.False(receive.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(25));
        Assert.Equal(new byte[] { 42 }, await receive.WaitAsync(TimeSpan.FromSeconds(5)));

        await dialer.DisposeAsync();
        Assert.Null(await accepted.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<IOException>(async () => await accepted.SendAsync(new byte[] { 1 }, CancellationToken.None));
    }

    [Fact]
    public async Task Works_with_the_system_clock_for_host_level_tests()
    {
        var network = new InMemoryNetwork(new Random(3), TimeProvider.System, new InMemoryNetworkOptions { MinLatency = TimeSpan.FromMilliseconds(1), MaxLatency = TimeSpan.FromMilliseconds(5) });
        await using var listener = network.Listen(_b);
        var dialer = await network.ConnectAsync(_a, _b, CancellationToken.None);
        await using var accepting = listener.AcceptAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await accepting.MoveNextAsync());
        for (var i = 0; i < 100; i++)
        {
            await dialer.SendAsync(new[] { (byte)i }, CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal((byte)i, (await accepting.Current.ReceiveAsync(timeout.Token))![0]);
        }
    }

    [Fact]
    public void Graceful_close_still_delivers_what_was_sent()
    {
        var network = new InMemoryNetwork(new Random(3), _time);
        var listener = network.Listen(_b);
        var dialer = network.Connect(_a, _b);
        listener.TryAccept(out var accepted);
        dialer.Send([1]);
        dialer.Send([2]);
        _ = dialer.DisposeAsync();
        Assert.True(dialer.IsAtEnd);
        Assert.False(accepted.IsAtEnd);
        _time.Advance(TimeSpan.FromMilliseconds(25));
        Assert.True(accepted.TryReceive(out var first));
        Assert.True(accepted.TryReceive(out var second));
        Assert.Equal([1, 2], first.Concat(second));
        Assert.True(accepted.IsAtEnd);
    }

    [Fact]
    public void Drops_break_the_connection_and_late_tails_arrive_after_a_reconnect()
    {
        var network = new InMemoryNetwork(new Random(11), _time, new InMemoryNetworkOptions
        {
            DropRate = 0.05,
            DuplicateRate = 1,
            ReorderDelay = TimeSpan.FromMilliseconds(500),
        });
        var listener = network.Listen(_b);
        var sawLateAfterNewer = false;
        for (var attempt = 0; attempt < 50 && !sawLateAfterNewer; attempt++)
        {
            var old = network.Connect(_a, _b);
            listener.TryAccept(out var oldAccepted);
            for (var i = 0; i < 100 && !old.IsBroken; i++)
            {
                old.Send([1]);
            }

            if (!old.IsBroken || oldAccepted.IsAtEnd)
            {
                continue;
            }

            // The dialler's end broke while the acceptor's still has a late tail coming.
            network.Options = InMemoryNetworkOptions.Reliable;
            var fresh = network.Connect(_a, _b);
            listener.TryAccept(out var freshAccepted);
            fresh.Send([2]);
            _time.Advance(TimeSpan.FromMilliseconds(21));
            Assert.True(freshAccepted.TryReceive(out _));
            _time.Advance(TimeSpan.FromSeconds(1));
            sawLateAfterNewer = oldAccepted.TryReceive(out _);
        }

        Assert.True(sawLateAfterNewer, "no late tail was delivered after a newer connection's message");
        Assert.True(network.Stats.Breaks > 0);
        Assert.True(network.Stats.LateDeliveries > 0);
    }

    [Fact]
    public void Partition_breaks_crossing_connections_and_refuses_dials_until_healed()
    {
        var network = new InMemoryNetwork(new Random(3), _time);
        var c = SessionPair.NewDevice(new Random(4));
        var listenerB = network.Listen(_b);
        network.Listen(c);
        network.Listen(_a);
        var ab = network.Connect(_a, _b);
        var ac = network.Connect(_a, c);
        listenerB.TryAccept(out var ba);
        ab.Send([9]);

        network.Partition([_a, c], [_b]);

        Assert.True(ab.IsBroken);
        Assert.True(ab.IsAtEnd);
        Assert.True(ba.IsAtEnd);
        Assert.False(ba.TryReceive(out _));
        Assert.False(ac.IsBroken);
        var refused = Assert.Throws<InMemoryConnectException>(() => network.Connect(_b, _a));
        Assert.Contains("partitioned", refused.Message, StringComparison.Ordinal);
        Assert.False(network.CanReach(_a, _b));

        network.Heal();
        Assert.True(network.CanReach(_a, _b));
        network.Connect(_b, _a);
    }

    [Fact]
    public void Dialling_a_device_nobody_listens_as_fails()
    {
        var network = new InMemoryNetwork(new Random(3), _time);
        var ex = Assert.Throws<InMemoryConnectException>(() => network.Connect(_a, _b));
        Assert.Contains("listening", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_seed_same_faults()
    {
        static InMemoryNetworkStats Run(int seed)
        {
            var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
            var a = SessionPair.NewDevice(new Random(1));
            var b = SessionPair.NewDevice(new Random(2));
            var network = new InMemoryNetwork(new Random(seed), time, new InMemoryNetworkOptions { DropRate = 0.1, DuplicateRate = 0.5 });
            network.Listen(b);
            for (var i = 0; i < 50; i++)
            {
                var connection = network.Connect(a, b);
                while (!connection.IsBroken)
                {
                    connection.Send([0]);
                }

                time.Advance(TimeSpan.FromMilliseconds(100));
            }

            return network.Stats;
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
