using System.Collections.Concurrent;
using System.Text;
using P2PSync.Node.Tests.Support;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsSessionHostileInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Forged_truncated_wrong_epoch_and_replayed_records_are_dropped_and_the_next_record_is_delivered()
    {
        await using var pair = new DtlsTestPair();
        await pair.ConnectAsync();
        var sentByB = new ConcurrentQueue<byte[]>();
        pair.Link.B.OnSend = sentByB.Enqueue;
        await pair.B.SendAsync("one"u8.ToArray(), CancellationToken.None);
        Assert.Equal("one", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.A)));
        var genuine = sentByB.Last();
        Assert.Equal(23, genuine[0]);

        var badTag = genuine.ToArray();
        badTag[^1] ^= 0x01;
        var hugeSequence = genuine.ToArray();
        hugeSequence.AsSpan(5, 6).Fill(0xff);
        var truncated = genuine[..^5];
        var nextEpoch = genuine.ToArray();
        nextEpoch[4] = 2;
        var tooShortForATag = genuine[..13].Concat(new byte[10]).ToArray();
        tooShortForATag[12] = 10;
        foreach (var hostile in new[] { badTag, hugeSequence, truncated, nextEpoch, tooShortForATag, genuine })
        {
            pair.Link.A.Inject(hostile);
        }

        await pair.B.SendAsync("two"u8.ToArray(), CancellationToken.None);

        // "one" again would mean the replay got through.
        Assert.Equal("two", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.A)));

        // Application data is opened on the pump, the rest by BC's thread: the counters of the
        // BC path may trail the delivery of "two" by a moment.
        await Eventually.HoldsAsync(() => pair.A.ForgedRecordsDropped >= 4 && pair.A.MalformedDatagramsDropped >= 1, DtlsTestPair.Patience);
        Assert.Equal(4, pair.A.ForgedRecordsDropped);
        Assert.Equal(1, pair.A.MalformedDatagramsDropped);
        Assert.Equal(1, pair.A.ReplayedRecordsDropped);
        Assert.True(pair.A.RecordsBypassed >= 2, $"{pair.A.RecordsBypassed} records took the fast path");
        Assert.Null(pair.A.ClosedReason);
        await pair.A.SendAsync("still talking"u8.ToArray(), CancellationToken.None);
        Assert.Equal("still talking", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.B)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_thousand_garbage_and_mutated_datagrams_leave_the_session_working(bool targetIsServer)
    {
        var seed = targetIsServer ? 20261122 : 20261123;
        output.WriteLine($"mutation seed {seed}");
        var random = new Random(seed);
        await using var pair = new DtlsTestPair();
        var sentByB = new ConcurrentQueue<byte[]>();
        pair.Link.B.OnSend = sentByB.Enqueue;
        await pair.ConnectAsync(aIsServer: targetIsServer);
        await pair.B.SendAsync("sample"u8.ToArray(), CancellationToken.None);
        await DtlsTestPair.ReceiveAsync(pair.A);
        var samples = sentByB.ToArray();
        output.WriteLine($"{samples.Length} datagrams from B (handshake and one record) as mutation seeds");

        var before = pair.A.DatagramsReceived;
        for (var i = 0; i < 1000; i++)
        {
            byte[] hostile;
            if (i % 4 == 0)
            {
                hostile = new byte[random.Next(0, 1300)];
                random.NextBytes(hostile);
            }
            else
            {
                hostile = ByteMutator.Mutate(samples[random.Next(samples.Length)], random);
            }

            pair.Link.A.Inject(hostile);

            // Let the session drain its queue now and then, so every datagram meets the checks
            // instead of being pushed out of a full queue.
            if (i % 100 == 99)
            {
                var injected = i + 1;
                await Eventually.HoldsAsync(
                    () => pair.A.DatagramsReceived >= before + injected && pair.A.DatagramsQueued == 0, DtlsTestPair.Patience);
            }
        }

        await pair.B.SendAsync("after the storm"u8.ToArray(), CancellationToken.None);

        var received = Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.A));
        output.WriteLine($"dropped: forged {pair.A.ForgedRecordsDropped}, malformed {pair.A.MalformedDatagramsDropped}, queue overflow {pair.A.QueueOverflowDropped}, oversized {pair.A.OversizedDropped}; closed: {pair.A.ClosedReason} {pair.A.ClosedMessage}");
        Assert.Equal("after the storm", received);
        Assert.Null(pair.A.ClosedReason);
        Assert.Equal(0, pair.A.QueueOverflowDropped + pair.A.OversizedDropped);
        Assert.True(pair.A.ForgedRecordsDropped + pair.A.MalformedDatagramsDropped > 500);
    }
}
