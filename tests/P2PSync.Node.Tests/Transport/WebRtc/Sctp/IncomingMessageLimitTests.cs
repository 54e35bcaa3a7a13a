using P2PSync.Node.Transport.WebRtc.Sctp;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class IncomingMessageLimitTests
{
    private const uint Binary = 53;
    private const int Limit = 10_000;

    [Theory]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    public void A_message_over_our_limit_is_dropped_its_stream_reset_and_the_others_go_on(int seed)
    {
        var link = SimulatedSctpLink.Connected(
            seed, loss: 0.05, duplicate: 0.02, jitterMs: 20, optionsB: new SctpOptions { RemoteMaxMessageSize = 0, LocalMaxMessageSize = Limit });

        link.A.Send(3, Binary, new byte[50_000], true, SctpReliability.Reliable, link.Now);
        link.A.Send(3, Binary, "after it, same stream"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.A.Send(4, Binary, "other stream"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.A.Send(5, Binary, new byte[Limit], true, SctpReliability.Reliable, link.Now);

        Assert.True(
            link.RunUntil(() => link.UserA.Resets.Contains((3, true)) && link.UserB.Resets.Contains((3, true)) && link.A.BufferedAmount == 0 && link.UserB.Messages.Count == 3, 600_000),
            $"seed {seed}: B got {link.UserB.Messages.Count} messages, resets A [{string.Join(",", link.UserA.Resets)}] B [{string.Join(",", link.UserB.Resets)}], A buffered {link.A.BufferedAmount}");

        Assert.Equal(1, link.B.OversizedMessagesDropped);
        Assert.DoesNotContain(link.UserB.Messages, m => m.Payload.Length > Limit);
        Assert.Contains(link.UserB.Messages, m => m.StreamId == 4);
        Assert.Contains(link.UserB.Messages, m => m.StreamId == 5 && m.Payload.Length == Limit); // exactly the limit is fine

        // The later message on the same stream was not left waiting for the SSN of the dropped one.
        Assert.Contains(link.UserB.Messages, m => m.StreamId == 3);
        Assert.Equal(SctpAssociationState.Established, link.B.State);
    }

    [Fact]
    public void Fragments_arriving_backwards_are_freed_as_soon_as_they_exceed_the_limit()
    {
        var receiver = new DataReceiver(peerInitialTsn: 1, bufferBytes: 1_000_000, maxMessageBytes: Limit);
        var delivered = new List<ReceivedMessage>();

        // TSNs 2..21 hold one ordered message of 20 kB (SSN 0); TSN 1 is lost for now; TSN 22 is the next message (SSN 1).
        var results = new List<DataReceiveResult>();
        for (uint tsn = 21; tsn >= 2; tsn--)
        {
            var flags = (byte)((tsn == 2 ? DataChunk.BeginFlag : 0) | (tsn == 21 ? DataChunk.EndFlag : 0));
            results.Add(receiver.Receive(new DataChunk(tsn, 7, 0, Binary, new byte[1000], flags), delivered));
            Assert.True(receiver.BytesHeld <= Limit, $"holding {receiver.BytesHeld} bytes after TSN {tsn}");
        }

        Assert.Single(results, DataReceiveResult.Oversized);
        Assert.Equal(0, receiver.BytesHeld);
        receiver.Receive(new DataChunk(22, 7, 1, Binary, "next"u8.ToArray(), DataChunk.BeginFlag | DataChunk.EndFlag), delivered);

        // SSN 0 of stream 7 was dropped whole, so SSN 1 goes out at once, though TSN 1 (another stream) is still missing.
        Assert.Equal("next"u8.ToArray(), Assert.Single(delivered).Payload);
        receiver.Receive(new DataChunk(1, 8, 0, Binary, "late"u8.ToArray(), DataChunk.BeginFlag | DataChunk.EndFlag), delivered);

        Assert.Equal("late"u8.ToArray(), delivered[^1].Payload);
        Assert.Equal(1, receiver.OversizedMessages);
        Assert.Equal(22u, receiver.CumulativeTsn);
    }

    [Fact]
    public void A_single_chunk_over_the_limit_is_dropped_and_counted()
    {
        var receiver = new DataReceiver(peerInitialTsn: 100, bufferBytes: 1_000_000, maxMessageBytes: 500);
        var delivered = new List<ReceivedMessage>();

        Assert.Equal(DataReceiveResult.Oversized, receiver.Receive(new DataChunk(100, 1, 0, Binary, new byte[501], DataChunk.BeginFlag | DataChunk.EndFlag), delivered));
        Assert.Equal(DataReceiveResult.Accepted, receiver.Receive(new DataChunk(101, 1, 1, Binary, new byte[500], DataChunk.BeginFlag | DataChunk.EndFlag), delivered));

        Assert.Equal(500, Assert.Single(delivered).Payload.Length);
        Assert.Equal(1, receiver.OversizedMessages);
    }

    [Fact]
    public void Seeded_shuffled_fragments_of_mixed_sizes_deliver_exactly_the_messages_within_the_limit()
    {
        const int seed = 64;
        var random = new Random(seed);
        var receiver = new DataReceiver(peerInitialTsn: 1, bufferBytes: 4_000_000, maxMessageBytes: Limit);
        var chunks = new List<DataChunk>();
        var expected = new List<int>();
        uint tsn = 1;
        for (ushort ssn = 0; ssn < 60; ssn++)
        {
            var size = random.Next(1, 3 * Limit);
            var pieces = (size + 999) / 1000;
            for (var p = 0; p < pieces; p++)
            {
                var flags = (byte)((p == 0 ? DataChunk.BeginFlag : 0) | (p == pieces - 1 ? DataChunk.EndFlag : 0));
                var length = Math.Min(1000, size - (p * 1000));
                var payload = new byte[length];
                payload[0] = (byte)ssn;
                chunks.Add(new DataChunk(tsn++, 2, ssn, Binary, payload, flags));
            }

            if (size <= Limit)
            {
                expected.Add(ssn);
            }
        }

        var delivered = new List<ReceivedMessage>();
        foreach (var chunk in chunks.OrderBy(_ => random.Next()))
        {
            receiver.Receive(chunk, delivered);
        }

        Assert.True(expected.SequenceEqual(delivered.Select(m => (int)m.Ssn)), $"seed {seed}: delivered [{string.Join(",", delivered.Select(m => m.Ssn))}]");
        Assert.Equal(60 - expected.Count, receiver.OversizedMessages);
        Assert.Equal(0, receiver.BytesHeld);
    }
}
