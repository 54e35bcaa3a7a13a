using System.Diagnostics;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Tests.Transport.WebRtc.Support;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class BcDatagramAdapterTests
{
    [Fact]
    public async Task Limits_follow_the_link_below_and_leave_room_for_fragmented_hellos()
    {
        await using var link = new InMemoryDatagramLink();
        using var precheck = new DtlsRecordPrecheck();
        var adapter = new BcDatagramAdapter(link.A, precheck, TimeProvider.System, 8);

        Assert.True(adapter.GetReceiveLimit() >= 1500);
        Assert.Equal(1232, adapter.GetSendLimit());
        adapter.Close();
    }

    [Fact]
    public async Task An_empty_queue_makes_receive_wait_the_full_time_then_return_minus_one()
    {
        await using var link = new InMemoryDatagramLink();
        using var precheck = new DtlsRecordPrecheck();
        var adapter = new BcDatagramAdapter(link.A, precheck, TimeProvider.System, 8);
        var buffer = new byte[BcDatagramAdapter.ReceiveLimit];

        var clock = Stopwatch.StartNew();
        Assert.Equal(-1, adapter.Receive(buffer, 0, buffer.Length, 150));

        // BC times its retransmissions by these waits; an early -1 would make it resend too soon.
        Assert.True(clock.ElapsedMilliseconds >= 140, $"returned after {clock.ElapsedMilliseconds} ms");
        adapter.Close();
    }

    [Fact]
    public async Task A_full_queue_drops_its_oldest_datagram()
    {
        await using var link = new InMemoryDatagramLink();
        using var precheck = new DtlsRecordPrecheck();
        var adapter = new BcDatagramAdapter(link.A, precheck, TimeProvider.System, 2);
        byte[][] hellos = [Hello(1), Hello(2), Hello(3)];
        foreach (var hello in hellos)
        {
            await link.B.SendAsync(hello, CancellationToken.None);
        }

        await Eventually.HoldsAsync(() => adapter.Received == 3, TimeSpan.FromSeconds(10));
        var buffer = new byte[BcDatagramAdapter.ReceiveLimit];

        Assert.Equal(1, adapter.OverflowDropped);
        Assert.Equal(hellos[1], buffer[..adapter.Receive(buffer, 0, buffer.Length, 1000)]);
        Assert.Equal(hellos[2], buffer[..adapter.Receive(buffer, 0, buffer.Length, 1000)]);
        adapter.Close();
    }

    [Fact]
    public async Task When_the_link_ends_queued_datagrams_are_still_read_then_receive_and_send_report_its_reason()
    {
        await using var link = new InMemoryDatagramLink();
        using var precheck = new DtlsRecordPrecheck();
        var adapter = new BcDatagramAdapter(link.A, precheck, TimeProvider.System, 8);
        await link.B.SendAsync(Hello(1), CancellationToken.None);
        await Eventually.HoldsAsync(() => adapter.Received == 1, TimeSpan.FromSeconds(10));

        link.Cut(TransportClosedReason.TimedOut);
        await adapter.Pump.WaitAsync(TimeSpan.FromSeconds(10));

        var buffer = new byte[BcDatagramAdapter.ReceiveLimit];
        Assert.Equal(Hello(1), buffer[..adapter.Receive(buffer, 0, buffer.Length, 1000)]);
        var ended = Assert.Throws<TransportClosedException>(() => adapter.Receive(buffer, 0, buffer.Length, 1000));
        Assert.Equal(TransportClosedReason.TimedOut, ended.Reason);
        Assert.Equal(TransportClosedReason.TimedOut, adapter.EndReason);
        Assert.Throws<TransportClosedException>(() => adapter.Send(buffer, 0, 10));
    }

    [Fact]
    public async Task Stopping_wakes_a_waiting_receive_at_once()
    {
        await using var link = new InMemoryDatagramLink();
        using var precheck = new DtlsRecordPrecheck();
        var adapter = new BcDatagramAdapter(link.A, precheck, TimeProvider.System, 8);
        var buffer = new byte[BcDatagramAdapter.ReceiveLimit];
        var waiting = Task.Factory.StartNew(() => adapter.Receive(buffer, 0, buffer.Length, 60_000), TaskCreationOptions.LongRunning);

        adapter.Stop(TransportClosedReason.TimedOut, "handshake timer");

        var ended = await Assert.ThrowsAsync<TransportClosedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TransportClosedReason.TimedOut, ended.Reason);
    }

    // A plaintext epoch-0 handshake record, distinct per sequence number.
    private static byte[] Hello(byte sequence) => [22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, sequence, 0, 1, 1];
}
