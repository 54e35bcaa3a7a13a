using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// New /mailbox connections per client IP per minute (fixed window); over the limit the upgrade
/// is refused with 429 before any WebSocket exists. Its own OnRejected (not the global one) so
/// the mailbox counts its rejects without depending on what other endpoints configure.
/// </summary>
internal sealed class MailboxConnectRateLimitPolicy(RelayOptions options, RelayMetrics metrics) : IRateLimiterPolicy<string>
{
    public const string Name = "mailbox-connect";
    public const string RejectReason = "connect_rate";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        metrics.CountReject(MailboxMetricNames.Source, RejectReason);
        return ValueTask.CompletedTask;
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var ip = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.ConnectionsPerIpPerMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
