namespace P2PSync.Relay;

/// <summary>
/// The relay's settings, bound from the "Relay" configuration section (appsettings.json,
/// environment variables such as Relay__MaxEnvelopeBytes, or flags such as
/// --Relay:MaxEnvelopeBytes=65536). The short flag --data sets <see cref="DataDirectory"/>.
/// Every limit exists so one client can never make the relay's memory or disk grow unbounded.
/// </summary>
internal sealed record RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>Directory of the SQLite file; created if missing.</summary>
    public string DataDirectory { get; set; } = "./relay-data";

    /// <summary>Signed into every challenge, so a signature made for one relay is useless at another.</summary>
    public string RelayId { get; set; } = "p2psync-relay";

    /// <summary>Largest WebSocket message accepted; larger: close 1009.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest envelope in a Post; larger: Error "too_large".</summary>
    public int MaxEnvelopeBytes { get; set; } = 512 * 1024;

    public int DefaultTtlSeconds { get; set; } = 7 * 24 * 3600;

    public int MaxTtlSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>Cap on the items of one Batch (and on their total size, see <see cref="MaxBatchBytes"/>).</summary>
    public int MaxFetchItems { get; set; } = 256;

    public int MaxBatchBytes { get; set; } = 768 * 1024;

    public long TopicQuotaBytes { get; set; } = 64L * 1024 * 1024;

    public int TopicQuotaEnvelopes { get; set; } = 10_000;

    /// <summary>Bytes a device may have stored across all topics at once.</summary>
    public long DeviceQuotaBytes { get; set; } = 128L * 1024 * 1024;

    public int MaxSubscriptionsPerConnection { get; set; } = 64;

    /// <summary>Frames waiting to be sent to one connection; when full the consumer is too slow: close 1008.</summary>
    public int SendQueueFrames { get; set; } = 256;

    public int AuthTimeoutSeconds { get; set; } = 10;

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>New /mailbox connections per client IP per window (ASP.NET Core rate limiter: 429).</summary>
    public int ConnectionsPerIpPerMinute { get; set; } = 120;

    /// <summary>Frames an authenticated device may send per second (token bucket); over: Error "rate_limited".</summary>
    public int DeviceFramesPerSecond { get; set; } = 200;

    public int DeviceFrameBurst { get; set; } = 400;

    /// <summary>How often expired envelopes are deleted.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;
}
