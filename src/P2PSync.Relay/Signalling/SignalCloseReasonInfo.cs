using System.Net.WebSockets;

namespace P2PSync.Relay.Signalling;

/// <summary>Close status, close description and metric label of each <see cref="SignalCloseReason"/>.</summary>
internal static class SignalCloseReasonInfo
{
    public static WebSocketCloseStatus Status(this SignalCloseReason reason) => reason switch
    {
        SignalCloseReason.MessageTooBig => WebSocketCloseStatus.MessageTooBig,
        SignalCloseReason.Idle => WebSocketCloseStatus.NormalClosure,
        SignalCloseReason.ShuttingDown => WebSocketCloseStatus.EndpointUnavailable,
        _ => WebSocketCloseStatus.PolicyViolation,
    };

    public static string Description(this SignalCloseReason reason) => reason switch
    {
        SignalCloseReason.MessageTooBig => "message too big",
        SignalCloseReason.TopicTooLong => "topic too long",
        SignalCloseReason.TooManyTopics => "too many topics",
        SignalCloseReason.RateLimited => "rate limited",
        SignalCloseReason.SlowConsumer => "slow consumer",
        SignalCloseReason.Idle => "idle timeout",
        _ => "shutting down",
    };

    public static string Label(this SignalCloseReason reason) => reason switch
    {
        SignalCloseReason.MessageTooBig => "message_too_big",
        SignalCloseReason.TopicTooLong => "topic_too_long",
        SignalCloseReason.TooManyTopics => "too_many_topics",
        SignalCloseReason.RateLimited => "rate_limited",
        SignalCloseReason.SlowConsumer => "slow_consumer",
        SignalCloseReason.Idle => "idle",
        _ => "shutting_down",
    };
}
