namespace P2PSync.Relay.Signalling;

/// <summary>
/// Why the relay closed a /signal connection. Each has a WebSocket close status and a short
/// close description the client sees, and a metric label.
/// </summary>
internal enum SignalCloseReason
{
    /// <summary>A message over <see cref="SignalOptions.MaxMessageBytes"/>: 1009.</summary>
    MessageTooBig,

    /// <summary>A topic name over <see cref="SignalOptions.MaxTopicBytes"/>: 1008.</summary>
    TopicTooLong,

    /// <summary>More than <see cref="SignalOptions.MaxTopicsPerConnection"/> subscriptions: 1008.</summary>
    TooManyTopics,

    /// <summary>More messages than the per-connection token bucket allows: 1008.</summary>
    RateLimited,

    /// <summary>Its send queue filled up: 1008 "slow consumer".</summary>
    SlowConsumer,

    /// <summary>No message for <see cref="SignalOptions.IdleTimeout"/>: 1000.</summary>
    Idle,

    /// <summary>The relay is shutting down: 1001.</summary>
    ShuttingDown,
}
