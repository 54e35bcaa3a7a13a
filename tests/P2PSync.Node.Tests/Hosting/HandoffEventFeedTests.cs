using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Tests.Hosting;

public sealed class HandoffEventFeedTests
{
    private static readonly DeviceKey Peer = DeviceKey.Generate();

    private static HandoffEvent Event(string id, string kind = HandoffEvent.Progress, long done = 0) =>
        new(kind, id, Peer.Id, done, 100, null);

    [Fact]
    public async Task Subscriber_GetsLiveEventsInOrderWithIncreasingSeq()
    {
        var feed = new HandoffEventFeed();
        using var subscription = feed.Subscribe(null);

        feed.Publish([Event("a", done: 1), Event("a", done: 2)]);
        feed.Publish([Event("b", HandoffEvent.Ready)]);

        Assert.Empty(subscription.Replay);
        var items = new List<HandoffFeedItem>();
        for (var i = 0; i < 3; i++)
        {
            items.Add(await subscription.Live.ReadAsync());
        }

        Assert.Equal([1L, 2L, 3L], items.Select(i => i.Seq));
        Assert.Equal(["a", "a", "b"], items.Select(i => i.Event.HandoffId));
        Assert.Equal(3, feed.LastSeq);
    }

    [Fact]
    public void Subscribe_AfterSeq_ReplaysOnlyLaterRememberedEvents()
    {
        var feed = new HandoffEventFeed(historyCapacity: 3);
        feed.Publish(Enumerable.Range(1, 5).Select(i => Event("h" + i)));

        using var all = feed.Subscribe(0);
        using var late = feed.Subscribe(4);
        using var none = feed.Subscribe(null);

        // Only the newest three are remembered.
        Assert.Equal([3L, 4L, 5L], all.Replay.Select(i => i.Seq));
        Assert.Equal([5L], late.Replay.Select(i => i.Seq));
        Assert.Empty(none.Replay);
    }

    [Fact]
    public async Task SlowSubscriber_IsDroppedWithOverflow_OthersKeepGoing()
    {
        var feed = new HandoffEventFeed(subscriberCapacity: 2);
        using var slow = feed.Subscribe(null);
        using var fast = feed.Subscribe(null);

        feed.Publish([Event("a")]);
        Assert.Equal(1, (await fast.Live.ReadAsync()).Seq);
        feed.Publish([Event("b")]);
        Assert.Equal(2, (await fast.Live.ReadAsync()).Seq);
        feed.Publish([Event("c")]);
        Assert.Equal(3, (await fast.Live.ReadAsync()).Seq);

        // slow read nothing: its queue (2) overflowed on the third event and it was dropped.
        Assert.Equal(1, feed.SubscriberCount);
        Assert.Equal(1, (await slow.Live.ReadAsync()).Seq);
        Assert.Equal(2, (await slow.Live.ReadAsync()).Seq);
        await Assert.ThrowsAsync<HandoffFeedOverflowException>(async () => await slow.Live.WaitToReadAsync());
    }

    [Fact]
    public async Task DisposeAndClose_EndSubscriptions()
    {
        var feed = new HandoffEventFeed();
        var left = feed.Subscribe(null);
        using var open = feed.Subscribe(null);

        left.Dispose();
        Assert.Equal(1, feed.SubscriberCount);
        Assert.False(await left.Live.WaitToReadAsync());

        feed.Close();
        Assert.False(await open.Live.WaitToReadAsync());
        using var afterClose = feed.Subscribe(null);
        Assert.False(await afterClose.Live.WaitToReadAsync());
        Assert.Equal(0, feed.SubscriberCount);
    }
}
