using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Folds a document's update log into its snapshot once enough updates piled up, so loading a
/// document after a restart does not replay an ever-growing log. Runs off the sync path on one
/// background task; the store's compaction keeps updates that are appended while it runs.
/// </summary>
internal sealed class LogCompactor : IAsyncDisposable
{
    /// <summary>Updates per document between compactions.</summary>
    public const int DefaultThreshold = 1000;

    private readonly DocumentHub _hub;
    private readonly Func<string, int> _compact;
    private readonly int _threshold;
    private readonly ILogger _logger;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Channel<string> _due = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Task _worker;

    /// <param name="compact">Compacts one document; returns how many log entries it merged.</param>
    public LogCompactor(DocumentHub hub, Func<string, int> compact, int threshold, ILogger logger)
    {
        _hub = hub;
        _compact = compact;
        _threshold = threshold;
        _logger = logger;
        _hub.Stored += OnStored;
        _worker = Task.Run(WorkAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _hub.Stored -= OnStored;
        _due.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private void OnStored(string docId, int appended)
    {
        lock (_gate)
        {
            var count = _counts.GetValueOrDefault(docId) + appended;
            if (count < _threshold || !_queued.Add(docId))
            {
                _counts[docId] = count;
                return;
            }

            _counts[docId] = 0;
        }

        _due.Writer.TryWrite(docId);
    }

    private async Task WorkAsync()
    {
        await foreach (var docId in _due.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            lock (_gate)
            {
                _queued.Remove(docId);
            }

            try
            {
                var merged = _compact(docId);
                _logger.LogDebug("compacted {DocId}: {Merged} updates folded into its snapshot", docId, merged);
            }
            catch (Exception ex) when (ex is Storage.StoreException or IOException)
            {
                // The log stays as it is and is still complete; the next threshold tries again.
                _logger.LogWarning("compacting {DocId} failed: {Reason}", docId, ex.Message);
            }
        }
    }
}
