using System.Text.Json;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// Topic subscriptions and publishing for /signal. In process now; a later issue can put it on a
/// shared bus (Redis) so that clients of several relay instances meet in the same topics.
/// </summary>
internal interface ISignalFanout
{
    /// <summary>Subscribes the subscriber to the topic; false when it already was.</summary>
    bool Subscribe(string topic, ISignalSubscriber subscriber);

    /// <summary>Unsubscribes the subscriber from the topic; false when it was not subscribed.</summary>
    bool Unsubscribe(string topic, ISignalSubscriber subscriber);

    /// <summary>
    /// Sends the publish message to every subscriber of its topic (the sender too, when subscribed,
    /// as y-webrtc's server does), with "clients" set to the number of receivers. Returns that number.
    /// <paramref name="original"/> is the text <paramref name="message"/> was parsed from.
    /// </summary>
    int Publish(string topic, ReadOnlySpan<byte> original, JsonElement message);

    /// <summary>Number of topics with at least one subscriber.</summary>
    int TopicCount { get; }
}
