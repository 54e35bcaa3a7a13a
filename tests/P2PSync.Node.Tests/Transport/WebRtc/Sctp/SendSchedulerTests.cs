using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class SendSchedulerTests
{
    private const uint Binary = 53;

    [Fact]
    public void Streams_take_turns_one_whole_message_each()
    {
        var scheduler = new SendScheduler();
        foreach (var (stream, tag) in new (ushort, byte)[] { (1, 1), (1, 2), (1, 3), (2, 4), (3, 5), (2, 6) })
        {
            scheduler.Enqueue(Message(stream, tag));
        }

        var order = new List<byte>();
        while (scheduler.Count > 0)
        {
            order.Add(scheduler.Peek().Payload.Span[0]);
            scheduler.CompleteHead();
        }

        Assert.Equal(new byte[] { 1, 4, 5, 2, 6, 3 }, order);
        Assert.Empty(scheduler.Streams);
    }

    [Fact]
    public void A_message_in_progress_keeps_the_turn_until_it_is_complete()
    {
        var scheduler = new SendScheduler();
        var bulk = Message(1, 1);
        scheduler.Enqueue(bulk);
        Assert.Same(bulk, scheduler.Peek());
        bulk.Offset = 1; // its first fragment has a TSN now

        scheduler.Enqueue(Message(2, 2));

        // Fragments of one message need consecutive TSNs: stream 2 waits for the end of it.
        Assert.Same(bulk, scheduler.Peek());
        scheduler.CompleteHead();
        Assert.Equal(2, scheduler.Peek().Payload.Span[0]);
    }

    [Fact]
    public void Removing_an_abandoned_message_keeps_the_others_in_their_order()
    {
        var scheduler = new SendScheduler();
        var first = Message(1, 1);
        var second = Message(1, 2);
        var other = Message(2, 3);
        scheduler.Enqueue(first);
        scheduler.Enqueue(second);
        scheduler.Enqueue(other);

        scheduler.Remove(second);
        scheduler.Remove(other);
        scheduler.Remove(Message(7, 9)); // never queued: nothing happens

        Assert.Equal(1, scheduler.Count);
        Assert.False(scheduler.HasQueued(2));
        Assert.Same(first, scheduler.Peek());
        scheduler.Remove(first);
        Assert.Equal(0, scheduler.Count);
        Assert.Empty(scheduler.Streams);
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void A_small_message_is_not_starved_behind_a_bulk_stream(int seed)
    {
        var link = SimulatedSctpLink.Connected(seed, loss: 0.02, jitterMs: 5);
        var bulk = new byte[64 * 1024];
        for (var i = 0; i < 20; i++)
        {
            bulk[0] = (byte)i;
            link.A.Send(1, Binary, bulk, true, SctpReliability.Reliable, link.Now);
        }

        link.A.Send(2, Binary, "ping"u8.ToArray(), true, SctpReliability.Reliable, link.Now);

        Assert.True(link.RunUntil(() => link.UserB.Messages.Any(m => m.StreamId == 2), 120_000), $"seed {seed}");
        var bulkFirst = link.UserB.Messages.TakeWhile(m => m.StreamId != 2).Count();

        // Round robin by message: the bulk message already on the wire finishes, then it is stream 2's turn.
        Assert.True(bulkFirst <= 1, $"seed {seed}: {bulkFirst} bulk messages went before the small one");
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 21, 600_000), $"seed {seed}");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), link.UserB.Messages.Where(m => m.StreamId == 1).Select(m => m.Payload[0]));
    }

    private static OutgoingMessage Message(ushort stream, byte tag) =>
        new(stream, Binary, new byte[] { tag, 0, 0 }, ordered: true, SctpReliability.Reliable, queuedMs: 0);
}
