using System.Threading.Channels;
using P2PSync.Node.Transport;

namespace P2PSync.Node.Hosting;

/// <summary>
/// A served connection as the sync layer sees it: an outbox drained by one writer task, so the
/// sync gate never waits on a slow socket.
/// </summary>
internal sealed class PeerLink
{
    // Synchronous continuations: an idle write loop sends right in the enqueuing thread (no thread
    // pool hop per keystroke); a send that cannot complete at once still goes async.
    private readonly Channel<(byte[] Bytes, string? DocId, long Seq)> _outbox =
        Channel.CreateUnbounded<(byte[] Bytes, string? DocId, long Seq)>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PeerLink(IConnection connection)
    {
        Connection = connection;
    }

    public IConnection Connection { get; }

    /// <summary>When serving began (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The latest measured round trip (Ping to Pong on this link), or null before the first Pong.</summary>
    public TimeSpan? RoundTrip { get; private set; }

    // Pings sent and not answered yet: nonce -> Stopwatch timestamp. Bounded: a peer that never
    // answers keeps only the newest few.
    private readonly Dictionary<ulong, long> _pings = [];
    private const int MaxOpenPings = 8;

    /// <summary>Notes that a Ping with <paramref name="nonce"/> is being sent now.</summary>
    public void PingSent(ulong nonce)
    {
        lock (_gate)
        {
            if (_pings.Count >= MaxOpenPings)
            {
                _pings.Remove(_pings.MinBy(p => p.Value).Key);
            }

            _pings[nonce] = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    /// <summary>A Pong arrived: the round trip of its Ping, if we sent it (a stray nonce is ignored).</summary>
    public void PongReceived(ulong nonce)
    {
        lock (_gate)
        {
            if (_pings.Remove(nonce, out var sentAt))
            {
                RoundTrip = System.Diagnostics.Stopwatch.GetElapsedTime(sentAt);
            }
        }
    }

    /// <summary>Set once the first catch-up with the peer was seen (its durability may still be pending).</summary>
    public bool CatchUpSeen { get; set; }

    /// <summary>Queues a message; <paramref name="docId"/> and <paramref name="seq"/> say which document log position it brings the peer to.</summary>
    public void Enqueue(byte[] message, string? docId, long seq) => _outbox.Writer.TryWrite((message, docId, seq));

    /// <summary>Records that the peer has the document up to <paramref name="seq"/> (e.g. it sent us those updates).</summary>
    public void MarkKnown(string docId, long seq)
    {
        lock (_gate)
        {
            if (!_sent.TryGetValue(docId, out var known) || known < seq)
            {
                _sent[docId] = seq;
            }
        }
    }

    /// <summary>Highest log seq per document sent on this link.</summary>
    public IReadOnlyDictionary<string, long> Sent()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>(_sent, StringComparer.Ordinal);
        }
    }

    public void Complete() => _outbox.Writer.TryComplete();

    /// <summary>Sends queued messages in order until completed; throws IOException when the connection broke.</summary>
    public async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var (message, docId, seq) in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await Connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (docId is not null)
            {
                MarkKnown(docId, seq);
            }
        }
    }
}
