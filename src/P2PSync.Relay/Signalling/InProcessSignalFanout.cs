using System.Text.Json;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// Fan-out within this relay process: a <see cref="SignalTopics{TSubscriber}"/> registry plus one
/// serialisation per publish, handed to every receiver's bounded queue.
/// </summary>
internal sealed class InProcessSignalFanout : ISignalFanout
{
    private readonly SignalTopics<ISignalSubscriber> _topics = new();
    private readonly RelayMetrics _metrics;

    public InProcessSignalFanout(RelayMetrics metrics)
    {
        _metrics = metrics;
        metrics.RegisterSampledGauge("relay_signal_topics", "Signalling topics with at least one subscriber.", () => _topics.TopicCount);
    }

    public int TopicCount => _topics.TopicCount;

    public bool Subscribe(string topic, ISignalSubscriber subscriber) => _topics.Add(topic, subscriber);

    public bool Unsubscribe(string topic, ISignalSubscriber subscriber) => _topics.Remove(topic, subscriber);

    public int Publish(string topic, ReadOnlySpan<byte> original, JsonElement message)
    {
        var receivers = _topics.SubscribersOf(topic);
        if (receivers.Count == 0)
        {
            return 0;
        }

        var frame = SignalPublishWriter.Write(original, message, receivers.Count);
        foreach (var receiver in receivers)
        {
            receiver.Deliver(frame);
        }

        _metrics.Count("relay_signal_messages_out_total", "Signalling frames queued to clients.", receivers.Count);
        _metrics.Count("relay_signal_bytes_out_total", "Signalling bytes queued to clients.", (long)frame.Length * receivers.Count);
        return receivers.Count;
    }
}
