namespace P2PSync.Relay.Signalling;

/// <summary>
/// Limits of the /signal endpoint, bound from the "Signal" configuration section (flags such as
/// --Signal:MaxMessageBytes=65536, environment variables such as Signal__MaxMessageBytes, or appsettings.json).
/// The defaults fit y-webrtc: an encrypted SDP offer is a few KiB, a client pings every 15 s.
/// </summary>
internal sealed class SignalOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Signal";

    /// <summary>A bigger message closes the connection with 1009 (message too big).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Topics one connection may be subscribed to at once; one more closes it with 1008.</summary>
    public int MaxTopicsPerConnection { get; set; } = 256;

    /// <summary>Longest topic name in UTF-8 bytes; a longer one closes the connection with 1008.</summary>
    public int MaxTopicBytes { get; set; } = 512;

    /// <summary>Messages waiting to be sent to one connection; a consumer further behind is closed with 1008 "slow consumer".</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>A connection that sends no message for this long is closed (y-webrtc clients ping every 15 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>WebSocket ping interval; a peer that does not answer within another interval is dropped.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages one connection may send per second, sustained (token bucket); a flood closes it with 1008.</summary>
    public int MessagesPerSecond { get; set; } = 200;

    /// <summary>Burst allowance of the per-connection token bucket.</summary>
    public int MessageBurst { get; set; } = 400;

    /// <summary>New /signal connections one IP address may open per <see cref="ConnectWindow"/>; more get 429.</summary>
    public int ConnectsPerWindow { get; set; } = 120;

    /// <summary>Window of the per-IP connection limit.</summary>
    public TimeSpan ConnectWindow { get; set; } = TimeSpan.FromSeconds(10);
}
