namespace P2PSync.Relay.Signalling;

/// <summary>
/// Which subscribers listen on which topic. Pure bookkeeping, no I/O: the fan-out asks it for a
/// topic's subscribers and sends. Each topic's subscribers are kept as an immutable array that is
/// replaced on change (copy on write), so a publish reads a stable snapshot after one short lock
/// and never allocates; subscribing is rare next to publishing. Empty topics are removed, so the
/// registry holds nothing for rooms nobody is in (y-webrtc's server keeps them after unsubscribe).
/// </summary>
internal sealed class SignalTopics<TSubscriber>
    where TSubscriber : class
{
    private readonly Dictionary<string, TSubscriber[]> _subscribers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Number of topics with at least one subscriber.</summary>
    public int TopicCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Adds the subscriber to the topic; false when it was already there.</summary>
    public bool Add(string topic, TSubscriber subscriber)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(topic, out var current))
            {
                _subscribers[topic] = [subscriber];
                return true;
            }

            if (Array.IndexOf(current, subscriber) >= 0)
            {
                return false;
            }

            var grown = new TSubscriber[current.Length + 1];
            current.CopyTo(grown, 0);
            grown[^1] = subscriber;
            _subscribers[topic] = grown;
            return true;
        }
    }

    /// <summary>Removes the subscriber from the topic (and the topic once empty); false when it was not there.</summary>
    public bool Remove(string topic, TSubscriber subscriber)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(topic, out var current))
            {
                return false;
            }

            var index = Array.IndexOf(current, subscriber);
            if (index < 0)
            {
                return false;
            }

            if (current.Length == 1)
            {
                _subscribers.Remove(topic);
                return true;
            }

            var shrunk = new TSubscriber[current.Length - 1];
            Array.Copy(current, 0, shrunk, 0, index);
            Array.Copy(current, index + 1, shrunk, index, current.Length - index - 1);
            _subscribers[topic] = shrunk;
            return true;
        }
    }

    /// <summary>The topic's subscribers at this moment (empty when none); the array is never changed afterwards.</summary>
    public IReadOnlyList<TSubscriber> SubscribersOf(string topic)
    {
        lock (_gate)
        {
            return _subscribers.TryGetValue(topic, out var current) ? current : [];
        }
    }
}
