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
/// our input (disk full, I/O error) is retried with back-off and keeps its place: what the hub has
/// applied and announced is never silently skipped. Anything else (a bug: unknown document,
/// invalid input) drops that batch with an error, because retrying it cannot succeed.
/// </remarks>
internal sealed class WriteBehindLog : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly IDocumentPersistence _persistence;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly List<(long Ticket, TaskCompletionSource Done)> _waiters = [];
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

    /// <summary>Queues appends (kept in this order) for the next commit.</summary>
    /// <exception cref="ObjectDisposedException">The log is shut down.</exception>
    public void Enqueue(IReadOnlyList<PendingAppend> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _queue.AddRange(entries);
            _queuedTicket += entries.Count;
        }

        _signal.Release();
    }

    /// <summary>Completes once everything queued before this call is committed.</summary>
    /// <exception cref="StoreException">A commit of those entries failed (see the log); it may still succeed on a retry.</exception>
    public Task WhenDurableAsync()
    {
        lock (_gate)
        {
            if (_durableTicket >= _queuedTicket)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((_queuedTicket, done));
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
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            List<PendingAppend> batch;
            long ticket;
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
                _queue = [];
            }

            try
            {
                _persistence.AppendBatch([.. batch.Select(pending => (pending.DocId, pending.Update, pending.Origin))]);
                delay = FirstRetry;
                Settle(ticket, failure: null);
                foreach (var (docId, appended) in batch.CountBy(pending => pending.DocId))
                {
                    Stored?.Invoke(docId, appended);
                }
            }
            catch (Exception ex) when (ex is StoreIOException or IOException)
            {
                // Transient (disk full, I/O error): keep the batch first in line and try again.
                _logger.LogError("could not commit {Count} update(s), retrying in {Delay} ms: {Reason}", batch.Count, delay.TotalMilliseconds, ex.Message);
                Settle(ticket, ex);
                lock (_gate)
                {
                    batch.AddRange(_queue);
                    _queue = batch;
                }

                await Task.Delay(delay).ConfigureAwait(false);
                delay = delay * 2 > LastRetry ? LastRetry : delay * 2;
                _signal.Release();
            }
            catch (StoreException ex)
            {
                _logger.LogError("dropping {Count} update(s) the store refuses (they stay in memory until restart): {Reason}", batch.Count, ex.Message);
                Settle(ticket, ex);
                lock (_gate)
                {
                    _durableTicket = Math.Max(_durableTicket, ticket);
                }
            }
        }
    }

    /// <summary>Completes the waiters up to <paramref name="ticket"/>: done, or failed with the error.</summary>
    private void Settle(long ticket, Exception? failure)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            if (failure is null)
            {
                _durableTicket = ticket;
            }

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
