using System.Buffers.Binary;
using System.Diagnostics;
using P2PSync.Node.Transport.WebRtc.Peer;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Data channels over the impaired wire (<see cref="VethLan.CreateImpairedAsync"/>: 5% loss, 10 ± 5 ms
/// delay, 25% sent ahead of the rest, 1% duplicated, in both directions). First the harness proves the
/// wire with two real stacks, Chromium and werift; the same wire then carries our own stack.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class OurPeerNetemTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BulkWithin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// 256 KiB (Chromium's largest message) each way at the same time on one reliable ordered channel:
    /// both SCTP stacks must retransmit through the loss and reorder what overtook, and every byte
    /// must arrive intact.
    /// </summary>
    [ChromiumFact]
    public async Task Chromium_and_werift_exchange_256_KiB_both_ways_over_loss_and_reordering()
    {
        var impairment = WireImpairment.LossAndReorder(seed: 8101);
        output.WriteLine($"seed {impairment.Seed}");
        await using var lan = await VethLan.CreateImpairedAsync(impairment, TimeProvider.System);
        output.WriteLine($"lan {lan}");
        var starting = new[] { RemotePeer.StartAsync(PeerDriver.Chromium, lan.A), RemotePeer.StartAsync(PeerDriver.Werift, lan.B) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        await using var chromium = starting[0].Result;
        await using var werift = starting[1].Result;
        await chromium.CreatePeerAsync();
        await werift.CreatePeerAsync();
        await chromium.CreateDataChannelAsync("bulk");
        var clock = Stopwatch.StartNew();
        await using var relay = await SignallingRelay.ConnectAsync(chromium, werift);
        await chromium.WaitForAsync<ChannelOpenEvent>(c => c.Label == "bulk", Within, "bulk open (Chromium)");
        await werift.WaitForAsync<ChannelOpenEvent>(c => c.Label == "bulk", Within, "bulk open (werift)");
        output.WriteLine($"channel open {clock.ElapsedMilliseconds} ms after the offer");

        var random = new Random(impairment.Seed);
        var toWerift = new byte[ChannelExchange.LargeMessageBytes];
        var toChromium = new byte[ChannelExchange.LargeMessageBytes];
        random.NextBytes(toWerift);
        random.NextBytes(toChromium);
        clock.Restart();
        await Task.WhenAll(chromium.SendBinaryAsync("bulk", toWerift), werift.SendBinaryAsync("bulk", toChromium));
        var atWerift = await werift.WaitForAsync<ChannelMessageEvent>(m => m.Label == "bulk" && m.Binary is not null, Within, "256 KiB at werift");
        var atChromium = await chromium.WaitForAsync<ChannelMessageEvent>(m => m.Label == "bulk" && m.Binary is not null, Within, "256 KiB at Chromium");
        output.WriteLine($"2 x {ChannelExchange.LargeMessageBytes} bytes crossed in {clock.ElapsedMilliseconds} ms");
        output.WriteLine(lan.Wire!.ToString());

        Assert.True(atWerift.Binary.AsSpan().SequenceEqual(toWerift), "the message to werift arrived changed");
        Assert.True(atChromium.Binary.AsSpan().SequenceEqual(toChromium), "the message to Chromium arrived changed");
        // The impairment really happened on this run, both ways, so the stacks really recovered from it.
        Assert.True(lan.Wire.AToB.Lost > 0 && lan.Wire.BToA.Lost > 0, "no packet was lost in one direction");
        Assert.True(lan.Wire.AToB.SentAhead > 0 && lan.Wire.BToA.SentAhead > 0, "no packet was reordered in one direction");
        Assert.Empty(relay.Failures);
    }

    /// <summary>
    /// Ours to ours across the impaired wire, three channels at once from A to B: a reliable ordered
    /// one carries 4 MiB that must arrive whole and in order; an unordered reliable one must deliver
    /// every message exactly once (in any order); an unordered one with maxRetransmits 0 may lose
    /// messages but must never deliver one twice or changed (RFC 8831 §6.1, RFC 3758).
    /// </summary>
    [NetnsFact]
    public async Task Ours_to_ours_delivers_4_MiB_in_order_and_keeps_the_promises_of_each_channel_kind()
    {
        const int bulkBytes = 4 * 1024 * 1024;
        const int bulkMessage = 64 * 1024;
        const int smallMessages = 300;
        var impairment = WireImpairment.LossAndReorder(seed: 8102);
        output.WriteLine($"seed {impairment.Seed}");
        await using var lan = await VethLan.CreateImpairedAsync(impairment, TimeProvider.System);
        await using var a = OurPeerInNamespace.Create(lan.A, impairment.Seed + 1);
        await using var b = OurPeerInNamespace.Create(lan.B, impairment.Seed + 2);
        var reliable = a.Connection.CreateDataChannel("reliable");
        var unordered = a.Connection.CreateDataChannel("unordered", new DataChannelOptions { Ordered = false });
        var partial = a.Connection.CreateDataChannel("partial", new DataChannelOptions { Ordered = false, MaxRetransmits = 0 });
        var clock = Stopwatch.StartNew();
        OurPeerInNamespace.Connect(a, b);
        await a.WaitConnectedAsync(Within);
        await b.WaitConnectedAsync(Within);
        var there = await b.AcceptChannelsAsync(3, Within);
        output.WriteLine($"connected with 3 channels open {clock.ElapsedMilliseconds} ms after the offer");

        var random = new Random(impairment.Seed);
        var bulk = new byte[bulkBytes];
        random.NextBytes(bulk);
        var small = Enumerable.Range(0, smallMessages).Select(i => Numbered(i, random)).ToArray();
        // 4 MiB take about 15 s here: at 5% loss and ~20 ms round trips, SCTP's TCP-like congestion
        // control (RFC 9260 §7.2) keeps the window at a few packets, about MSS/RTT x 1.22/sqrt(loss)
        // = 300 KiB/s; Chromium and werift move 2 x 256 KiB through the same wire at about 190 KiB/s.
        using var timeout = new CancellationTokenSource(BulkWithin);
        clock.Restart();
        var bulkReceived = ReceiveBytesAsync(there["reliable"], bulkBytes, timeout.Token);
        var unorderedReceiving = ReceiveNumberedAsync(there["unordered"], smallMessages, timeout.Token);
        var sending = Task.WhenAll(
            SendInPiecesAsync(reliable, bulk, bulkMessage, timeout.Token),
            SendAllAsync(unordered, small, timeout.Token),
            SendAllAsync(partial, small, timeout.Token));
        var partialReceived = ReceiveNumberedUntilQuietAsync(there["partial"], sending, TimeSpan.FromSeconds(1), timeout.Token);
        await sending;
        var received = await bulkReceived;
        output.WriteLine($"{bulkBytes} bytes in order in {clock.ElapsedMilliseconds} ms ({bulkBytes / 1024.0 / clock.Elapsed.TotalSeconds:F0} KiB/s)");
        var unorderedReceived = await unorderedReceiving;
        var partialGot = await partialReceived;
        output.WriteLine(lan.Wire!.ToString());
        output.WriteLine($"A: {a.Connection.GetStats()}");
        output.WriteLine($"B: {b.Connection.GetStats()}");

        Assert.True(received.AsSpan().SequenceEqual(bulk), $"the 4 MiB differ from byte {received.AsSpan().CommonPrefixLength(bulk)}");
        AssertExactlyOnceIntact(unorderedReceived, small, mayLose: false, "unordered");
        AssertExactlyOnceIntact(partialGot, small, mayLose: true, "partial");
        output.WriteLine($"unordered: {Inversions(unorderedReceived)} arrived after a later one; partial: {partialGot.Count} of {smallMessages} arrived, {Inversions(partialGot)} after a later one");
        Assert.True(lan.Wire.AToB.Lost > 0 && lan.Wire.BToA.Lost > 0, "no packet was lost in one direction");
        // With maxRetransmits 0 a message is abandoned as soon as any of its chunks would be sent again;
        // after a T3 timeout that is every message in flight, so far more than 5% may go (RFC 3758 §3.5).
        Assert.True(partialGot.Count > 0, "the lossy channel delivered nothing");
        Assert.Empty(a.Failures);
        Assert.Empty(b.Failures);
    }

    /// <summary>Message i: its number (4 bytes) and 996 seeded bytes, so a copy that was changed or doubled shows.</summary>
    private static byte[] Numbered(int i, Random random)
    {
        var message = new byte[1000];
        random.NextBytes(message);
        BinaryPrimitives.WriteInt32BigEndian(message, i);
        return message;
    }

    private static async Task SendInPiecesAsync(DataChannel channel, byte[] data, int piece, CancellationToken ct)
    {
        for (var at = 0; at < data.Length; at += piece)
        {
            await channel.SendAsync(data.AsMemory(at, Math.Min(piece, data.Length - at)), ct);
        }
    }

    private static async Task SendAllAsync(DataChannel channel, byte[][] messages, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            await channel.SendAsync(message, ct);
        }
    }

    private static async Task<byte[]> ReceiveBytesAsync(DataChannel channel, int total, CancellationToken ct)
    {
        var received = new MemoryStream(total);
        while (received.Length < total)
        {
            var message = await channel.ReceiveAsync(ct) ?? throw new InvalidOperationException($"{channel} closed after {received.Length} bytes");
            received.Write(message.Data.Span);
        }

        return received.ToArray();
    }

    private static async Task<List<byte[]>> ReceiveNumberedAsync(DataChannel channel, int count, CancellationToken ct)
    {
        var received = new List<byte[]>();
        while (received.Count < count)
        {
            var message = await channel.ReceiveAsync(ct) ?? throw new InvalidOperationException($"{channel} closed after {received.Count} messages");
            received.Add(message.Data.ToArray());
        }

        return received;
    }

    /// <summary>What a lossy channel delivers: everything until the sender is done and nothing has come for <paramref name="quiet"/>.</summary>
    private static async Task<List<byte[]>> ReceiveNumberedUntilQuietAsync(DataChannel channel, Task sending, TimeSpan quiet, CancellationToken ct)
    {
        var received = new List<byte[]>();
        while (true)
        {
            using var pause = CancellationTokenSource.CreateLinkedTokenSource(ct);
            pause.CancelAfter(quiet);
            try
            {
                var message = await channel.ReceiveAsync(pause.Token);
                if (message is null)
                {
                    return received;
                }

                received.Add(message.Value.Data.ToArray());
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Quiet only counts once everything is sent: the shared send buffer can hold these back for seconds.
                if (sending.IsCompleted)
                {
                    return received;
                }
            }
        }
    }

    private static void AssertExactlyOnceIntact(List<byte[]> received, byte[][] sent, bool mayLose, string label)
    {
        var numbers = received.Select(m => BinaryPrimitives.ReadInt32BigEndian(m)).ToList();
        Assert.True(numbers.Count == numbers.Distinct().Count(), $"{label}: a message arrived twice");
        Assert.All(received, m => Assert.True(m.AsSpan().SequenceEqual(sent[BinaryPrimitives.ReadInt32BigEndian(m)]), $"{label}: message {BinaryPrimitives.ReadInt32BigEndian(m)} changed"));
        if (!mayLose)
        {
            Assert.Equal(sent.Length, numbers.Count);
        }
    }

    private static int Inversions(List<byte[]> received)
    {
        var highest = -1;
        var inversions = 0;
        foreach (var number in received.Select(m => BinaryPrimitives.ReadInt32BigEndian(m)))
        {
            inversions += number < highest ? 1 : 0;
            highest = Math.Max(highest, number);
        }

        return inversions;
    }
}
