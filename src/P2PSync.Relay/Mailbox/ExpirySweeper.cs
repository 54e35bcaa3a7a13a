using P2PSync.Relay.Metrics;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Deletes envelopes whose TTL passed, every SweepIntervalSeconds. Fetch already hides expired
/// envelopes, so the sweep only reclaims space; its timing never changes what clients see.
/// </summary>
internal sealed partial class ExpirySweeper(IMailboxStore store, RelayOptions options, RelayMetrics metrics, TimeProvider time,
    ILogger<ExpirySweeper> log) : BackgroundService
{
    /// <summary>One sweep at the provider's current time; returns how many envelopes were deleted.</summary>
    public int SweepOnce()
    {
        var deleted = store.DeleteExpired(time.GetUtcNow());
        if (deleted > 0)
        {
            metrics.Count(MailboxMetricNames.Deleted, MailboxMetricNames.DeletedHelp, deleted);
            LogSwept(log, deleted);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.SweepIntervalSeconds)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) SweepOnce();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mailbox deleted {Count} expired envelopes")]
    private static partial void LogSwept(ILogger logger, int count);
}
