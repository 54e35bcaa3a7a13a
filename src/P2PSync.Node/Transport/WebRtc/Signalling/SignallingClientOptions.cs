using System.Net.WebSockets;

namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>Tunables of a <see cref="SignallingClient"/>; the defaults fit our relay's /signal limits (docs/protocol/relay-signal.md).</summary>
internal sealed record SignallingClientOptions
{
    /// <summary>Opens a WebSocket to the URI; null = a <see cref="ClientWebSocket"/>. Tests pass an in-memory or fake server here.</summary>
    public Func<Uri, CancellationToken, Task<WebSocket>>? Connector { get; init; }

    /// <summary>How often we send {"type":"ping"}: the relay closes a connection that is silent for 60 s, y-webrtc pings every 15 s.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A connection from which nothing (not even a pong) arrived for this long is taken as dead and reopened.</summary>
    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Longest wait for one WebSocket open before it counts as a failed attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait after a failed or dropped connection; doubled on each failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between two connection attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Frames waiting to be sent; one more publish throws <see cref="SignallingException"/> instead of growing without bound.</summary>
    public int SendQueueCapacity { get; init; } = 256;

    /// <summary>Received publishes nobody read yet; beyond this the oldest is dropped (signalling is latest-wins) and counted.</summary>
    public int ReceiveQueueCapacity { get; init; } = 1024;

    /// <summary>Largest frame accepted either way (the relay's default limit); a bigger incoming one is skipped and counted.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Longest topic in UTF-8 bytes (the relay's default limit; it closes the connection on a longer one).</summary>
    public int MaxTopicBytes { get; init; } = 512;

    /// <summary>Most topics at once (the relay's default limit; it closes the connection beyond it).</summary>
    public int MaxTopics { get; init; } = 256;
}
