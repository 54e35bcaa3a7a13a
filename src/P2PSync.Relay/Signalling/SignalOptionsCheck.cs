namespace P2PSync.Relay.Signalling;

/// <summary>What makes a <see cref="SignalOptions"/> usable: every limit and period positive.</summary>
internal static class SignalOptionsCheck
{
    public const string Requirement =
        "Signal options: MaxMessageBytes, MaxTopicsPerConnection, MaxTopicBytes, SendQueueCapacity, MessagesPerSecond, MessageBurst and ConnectsPerWindow must be at least 1; IdleTimeout, KeepAliveInterval and ConnectWindow must be positive.";

    public static bool IsValid(SignalOptions options) =>
        options.MaxMessageBytes >= 1
        && options.MaxTopicsPerConnection >= 1
        && options.MaxTopicBytes >= 1
        && options.SendQueueCapacity >= 1
        && options.MessagesPerSecond >= 1
        && options.MessageBurst >= 1
        && options.ConnectsPerWindow >= 1
        && options.IdleTimeout > TimeSpan.Zero
        && options.KeepAliveInterval > TimeSpan.Zero
        && options.ConnectWindow > TimeSpan.Zero;
}
