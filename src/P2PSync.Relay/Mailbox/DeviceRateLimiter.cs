using System.Threading.RateLimiting;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Frames per authenticated device, across all its connections: a token bucket per device key
/// (ASP.NET Core's System.Threading.RateLimiting). The connection-level limit per IP is
/// <see cref="MailboxConnectRateLimitPolicy"/>; this one stops one device key flooding through
/// many connections or one long-lived one.
/// </summary>
internal sealed class DeviceRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public DeviceRateLimiter(RelayOptions options)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.DeviceFrameBurst),
            TokensPerPeriod = Math.Max(1, options.DeviceFramesPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(device =>
            RateLimitPartition.GetTokenBucketLimiter(device, _ => bucket));
    }

    /// <summary>True when the device may send one more frame now.</summary>
    public bool TryAcquire(string deviceHex)
    {
        using var lease = _limiter.AttemptAcquire(deviceHex);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
