using System.Threading.Channels;
using P2PSync.Node.Handoff;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The node's handoff events for apps (SSE) and the CLI: numbered in order, the newest
/// <see cref="HistoryCapacity"/> remembered so a client that subscribes a moment late (or
/// reconnects with Last-Event-ID) misses nothing, and fanned out to subscribers through bounded
/// queues. Publishing never blocks: a subscriber whose queue is full is dropped (it sees
/// <see cref="HandoffFeedOverflowException"/>), so one stuck client cannot grow the node's memory.
/// </summary>
internal sealed class HandoffEventFeed
{
    private readonly Lock _gate = new();
    private readonly Queue<HandoffFeedItem> _history = new();
    private readonly List<HandoffSubscription> _subscribers = [];
    private long _seq;
    private bool _closed;

    public HandoffEventFeed(int historyCapacity = 256, int subscriberCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subscriberCapacity, 1);
        HistoryCapacity = historyCapacity;
        SubscriberCapacity = subscriberCapacity;
    }

    public int HistoryCapacity { get; }

    public int SubscriberCapacity { get; }

    /// <summary>The seq of the newest event (0 = none yet).</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _seq;
            }
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Numbers, remembers and hands out the events in order.</summary>
    public void Publish(IEnumerable<HandoffEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                var item = new HandoffFeedItem(++_seq, e);
                _history.Enqueue(item);
                if (_history.Count > HistoryCapacity)
                {
                    _history.Dequeue();
                }

                for (var i = _subscribers.Count - 1; i >= 0; i--)
                {
                    var subscriber = _subscribers[i];
                    if (!subscriber.Channel.Writer.TryWrite(item))
                    {
                        subscriber.Channel.Writer.TryComplete(new HandoffFeedOverflowException(SubscriberCapacity));
                        _subscribers.RemoveAt(i);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Subscribes; <paramref name="afterSeq"/> (a seq seen before) replays the remembered events
    /// after it, null replays nothing. Registration and the replay snapshot are atomic: no event
    /// is both replayed and delivered live, and none falls between.
    /// </summary>
    public HandoffSubscription Subscribe(long? afterSeq)
    {
        var channel = Channel.CreateBounded<HandoffFeedItem>(new BoundedChannelOptions(SubscriberCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently.
        });
        lock (_gate)
        {
            var replay = afterSeq is { } after ? _history.Where(i => i.Seq > after).ToList() : [];
            var subscription = new HandoffSubscription(replay, channel, Leave);
            if (_closed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(subscription);
            }

            return subscription;
        }
    }

    /// <summary>Ends every subscription (the node stops); later subscriptions end at once.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Channel.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    private void Leave(HandoffSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }

        subscription.Channel.Writer.TryComplete();
    }
}
