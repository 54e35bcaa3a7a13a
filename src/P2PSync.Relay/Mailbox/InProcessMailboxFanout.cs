using P2PSync.Protocol.Relay;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Fan-out inside one relay process: topic -> subscribers. A plain lock keeps subscribe, the
/// removal of empty topics and publishing consistent; pushes are delivered outside the lock
/// (Deliver never blocks, but a subscriber must not be able to stall everyone else).
/// </summary>
internal sealed class InProcessMailboxFanout : IMailboxFanout
{
    private readonly Dictionary<string, HashSet<IMailboxSubscriber>> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IDisposable Subscribe(byte[] topic, IMailboxSubscriber subscriber)
    {
        var key = Convert.ToHexString(topic);
        lock (_gate)
        {
            if (!_topics.TryGetValue(key, out var subscribers)) _topics[key] = subscribers = [];
            subscribers.Add(subscriber);
        }
        return new Subscription(this, key, subscriber);
    }

    public void Publish(byte[] topic, MailboxFrame push, IMailboxSubscriber? sender)
    {
        IMailboxSubscriber[] targets;
        lock (_gate)
        {
            if (!_topics.TryGetValue(Convert.ToHexString(topic), out var subscribers)) return;
            targets = [.. subscribers];
        }
        foreach (var subscriber in targets)
        {
            if (!ReferenceEquals(subscriber, sender)) subscriber.Deliver(push);
        }
    }

    /// <summary>Topics with at least one live subscriber (empty topics are dropped, so the map never outgrows the subscriptions).</summary>
    public int TopicCount
    {
        get { lock (_gate) return _topics.Count; }
    }

    private void Remove(string key, IMailboxSubscriber subscriber)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(key, out var subscribers)) return;
            subscribers.Remove(subscriber);
            if (subscribers.Count == 0) _topics.Remove(key);
        }
    }

    private sealed class Subscription(InProcessMailboxFanout owner, string key, IMailboxSubscriber subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(key, subscriber);
        }
    }
}
