using Microsoft.Extensions.Logging;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Commits the hub's appends on one background task, so no receive loop ever waits for an fsync:
/// whatever queued up while a commit ran goes into the next one (group commit under load, one
/// append per commit when idle). Callers that must not answer before their change is durable
/// (the API's append) await <see cref="WhenDurableAsync"/>.
/// </summary>
/// <remarks>
/// Entries are committed in the order they were queued. A commit that fails for a reason outside
/// our input (disk full, I/O error, the database locked) is retried with back-off and keeps its
/// place; its waiters keep waiting. Anything else (a bug: unknown document, invalid input, a
/// corrupt file), and a transient failure that persists after shutdown began, drops that batch
/// with a critical log line and fails its waiters, because waiting cannot make it succeed.
/// </remarks>
internal sealed class WriteBehindLog : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    // SQLite primary result codes that describe the disk or locking, not the statement.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;

    // Once shutdown began, a failing store gets this many more tries, then the batch is dropped
    // (loudly) so that Ctrl-C still ends the process.
    private const int RetriesWhileClosing = 3;

    private readonly IDocumentPersistence _persistence;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly List<(long Ticket, TaskCompletionSource Done)> _waiters = [];

    // Ticket ranges (From, To] the store refused, newest last; drops are rare, the newest few are enough.
    private readonly List<(long From, long To, Exception Error)> _dropped = [];
    private const int DroppedKept = 64;
    private readonly Task _worker;
    private List<PendingAppend> _queue = [];
    private long _queuedTicket;
    private long _durableTicket;
    private bool _closing;

    public WriteBehindLog(IDocumentPersistence persistence, ILogger logger)
    {
        _persistence = persistence;
        _logger = logger;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Updates were committed to a document's log: the id and how many.</summary>
    public event Action<string, int>? Stored;

    /// <summary>Queues appends (kept in this order) for the next commit; returns the ticket of the last one.</summary>
    /// <exception cref="ObjectDisposedException">The log is shut down.</exception>
    public long Enqueue(IReadOnlyList<PendingAppend> entries)
    {
        long ticket;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _queue.AddRange(entries);
            _queuedTicket += entries.Count;
            ticket = _queuedTicket;
        }

        if (entries.Count > 0)
        {
            _signal.Release();
        }

        return ticket;
    }

    /// <summary>Completes once everything queued before this call is committed.</summary>
    /// <exception cref="StoreException">The store refused the newest of those entries for good (see the log).</exception>
    public Task WhenDurableAsync()
    {
        long ticket;
        lock (_gate)
        {
            ticket = _queuedTicket;
        }

        return WhenDurableAsync(ticket);
    }

    /// <summary>Completes once the entry with this ticket (and every one before it) is committed.</summary>
    /// <exception cref="StoreException">The store refused that entry for good (see the log): it is not stored.</exception>
    public Task WhenDurableAsync(long ticket)
    {
        lock (_gate)
        {
            if (ticket <= _durableTicket)
            {
                // Settled already: committed, unless it was in a batch the store refused.
                var drop = _dropped.FindLast(d => d.From < ticket && ticket <= d.To);
                return drop.Error is null ? Task.CompletedTask : Task.FromException(drop.Error);
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((ticket, done));
            return done.Task;
        }
    }

    /// <summary>Commits everything still queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
        }

        _signal.Release();
        await _worker.ConfigureAwait(false);
        _signal.Dispose();
    }

    private async Task RunAsync()
    {
        var delay = FirstRetry;
        var failuresWhileClosing = 0;
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            List<PendingAppend> batch;
            long ticket;
            bool closing;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    continue;
                }

                batch = _queue;
                ticket = _queuedTicket;
                closing = _closing;
                _queue = [];
            }

            try
            {
                _persistence.AppendBatch(
                    [.. batch.Where(pending => pending.Update is not null).Select(pending => (pending.DocId, pending.Update!, pending.Origin))],
                    [.. batch.SelectMany(pending => pending.Records)]);
                delay = FirstRetry;
                Settle(ticket, failure: null);
                RaiseStored(batch);
            }
            catch (Exception ex) when (IsTransient(ex) && !(closing && ++failuresWhileClosing > RetriesWhileClosing))
            {
                // Disk full, I/O error, database locked: keep the batch first in line and try again.
                // Waiters keep waiting: the change is applied and relayed already, and the retry
                // will store it; failing them now would invite a client to send it twice.
                _logger.LogError("could not commit {Count} update(s), retrying in {Delay} ms: {Reason}", batch.Count, delay.TotalMilliseconds, ex.Message);
                lock (_gate)
                {
                    batch.AddRange(_queue);
                    _queue = batch;
                }

                await Task.Delay(delay).ConfigureAwait(false);
                delay = delay * 2 > LastRetry ? LastRetry : delay * 2;
                _signal.Release();
            }
            catch (Exception ex)
            {
                // The store refuses this batch for good (or we are shutting down and it still fails):
                // retrying cannot help. Everything in it stays in memory until restart; peers and
                // clients that have it hand it back on the next sync.
                _logger.LogCritical(ex, "dropping {Count} update(s) the store did not take: {Reason}", batch.Count, ex.Message);
                var error = ex is StoreException ? ex : new StoreIOException("the document log", ex);
                lock (_gate)
                {
                    _dropped.Add((ticket - batch.Count, ticket, error));
                    if (_dropped.Count > DroppedKept)
                    {
                        _dropped.RemoveAt(0);
                    }
                }

                Settle(ticket, error);
            }
        }
    }

    /// <summary>Worth retrying: the disk or the database was busy, full or failing, not our input.</summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        IOException => true,
        StoreIOException { InnerException: Microsoft.Data.Sqlite.SqliteException sqlite } =>
            sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull,
        _ => false,
    };

    private void RaiseStored(List<PendingAppend> batch)
    {
        foreach (var (docId, appended) in batch.Where(pending => pending.Update is not null).CountBy(pending => pending.DocId))
        {
            try
            {
                Stored?.Invoke(docId, appended);
            }
            catch (Exception ex)
            {
                // A subscriber's bug must not stop the log: nothing would ever be committed again.
                _logger.LogError(ex, "a subscriber to stored updates failed: {Reason}", ex.Message);
            }
        }
    }

    /// <summary>
    /// Completes the waiters up to <paramref name="ticket"/>: done, or failed with the error. Either
    /// way those entries are settled, so later waiters do not wait for them.
    /// </summary>
    private void Settle(long ticket, Exception? failure)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _durableTicket = Math.Max(_durableTicket, ticket);

            ready = [.. _waiters.Where(w => w.Ticket <= ticket).Select(w => w.Done)];
            _waiters.RemoveAll(w => w.Ticket <= ticket);
        }

        foreach (var done in ready)
        {
            if (failure is null)
            {
                done.TrySetResult();
            }
            else
            {
                done.TrySetException(failure);
            }
        }
    }
}
