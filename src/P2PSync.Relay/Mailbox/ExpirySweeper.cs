using P2PSync.Relay.Metrics;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Every SweepIntervalSeconds: forgets readers idle for Mailbox:ReaderIdleDays (deleting what only
/// they still held) and deletes envelopes whose TTL passed. Fetch already hides expired
/// envelopes, so the TTL part only reclaims space; its timing never changes what clients see.
/// </summary>
internal sealed partial class ExpirySweeper(IMailboxStore store, RelayOptions options, MailboxOptions mailbox, RelayMetrics metrics, TimeProvider time,
    ILogger<ExpirySweeper> log) : BackgroundService
{
    /// <summary>One sweep at the provider's current time; returns how many envelopes were deleted.</summary>
    public int SweepOnce()
    {
        var now = time.GetUtcNow();
        var idle = store.ForgetIdleReaders(now, mailbox.ReaderIdleTime);
        if (idle.ReadersForgotten > 0)
        {
            metrics.Count(MailboxMetricNames.ReadersForgotten, MailboxMetricNames.ReadersForgottenHelp, idle.ReadersForgotten);
            LogReadersForgotten(log, idle.ReadersForgotten, mailbox.ReaderIdleDays);
        }

        var deleted = idle.EnvelopesDeleted + store.DeleteExpired(now);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "mailbox forgot {Count} readers idle for {Days} days")]
    private static partial void LogReadersForgotten(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Information, Message = "mailbox deleted {Count} expired or fully acknowledged envelopes")]
    private static partial void LogSwept(ILogger logger, int count);
}
