using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>
/// All of one node's <see cref="PeerSyncSession"/>s, and the relaying between them: a change
/// that arrives from one peer is passed on to every other connected peer, and a document
/// created or renamed by one peer is announced to the others. Pure like the sessions: the
/// caller owns the connections (identified by <typeparamref name="TKey"/>), sends what each
/// method returns, and calls one method at a time.
/// </summary>
/// <remarks>
/// Relaying is what makes a partial mesh converge (A-B-C with no A-C link). It cannot loop,
/// because <see cref="ISyncDocumentSource.ApplyRemoteUpdate"/> reports a change only when the
/// document actually changed, and a rename only wins once per stamp.
/// </remarks>
internal sealed class SyncCoordinator<TKey>
    where TKey : notnull
{
    private readonly ISyncDocumentSource _source;
    private readonly string _localDeviceName;
    private readonly Dictionary<TKey, PeerSyncSession> _sessions = [];

    // Connection order, so relaying visits peers in a reproducible order (seeded simulations replay exactly).
    private readonly List<TKey> _order = [];

    public SyncCoordinator(ISyncDocumentSource source, string localDeviceName)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _localDeviceName = localDeviceName ?? "";
    }

    /// <summary>Connections with a running session.</summary>
    public IReadOnlyList<TKey> Connections => _order;

    /// <summary>The session for a connection, or null.</summary>
    public PeerSyncSession? Session(TKey connection) => _sessions.GetValueOrDefault(connection);

    /// <summary>Starts a session for a new authenticated connection; returns its opening messages.</summary>
    public IReadOnlyList<OutgoingEnvelope<TKey>> Connect(TKey connection, DeviceId remoteDevice)
    {
        if (_sessions.ContainsKey(connection))
        {
            throw new InvalidOperationException("connection already has a session");
        }

        var session = new PeerSyncSession(_source, remoteDevice, _localDeviceName);
        _sessions.Add(connection, session);
        _order.Add(connection);
        return To(connection, session.OnConnected()).ToList();
    }

    /// <summary>Forgets a closed connection. Returns false if it had no session.</summary>
    public bool Disconnect(TKey connection)
    {
        _order.Remove(connection);
        return _sessions.Remove(connection);
    }

    /// <summary>
    /// Handles an envelope from <paramref name="connection"/>: replies go back to it, changes it
    /// caused are relayed to every other connection.
    /// </summary>
    /// <exception cref="SyncProtocolException">The peer broke the protocol: close and <see cref="Disconnect"/> it.</exception>
    public IReadOnlyList<OutgoingEnvelope<TKey>> Receive(TKey connection, Envelope envelope)
    {
        var session = _sessions.GetValueOrDefault(connection)
            ?? throw new InvalidOperationException("envelope for a connection without a session");
        var result = session.OnEnvelope(envelope);
        var output = new List<OutgoingEnvelope<TKey>>(To(connection, result.Replies));
        foreach (var doc in result.ChangedDocuments)
        {
            Broadcast(s => s.OnDocumentChanged(doc), output, hasSkip: true, skipConnection: connection);
        }

        foreach (var change in result.AppliedUpdates)
        {
            Broadcast(s => s.OnLocalUpdate(change.DocId, change.Update), output, hasSkip: true, skipConnection: connection);
        }

        return output;
    }

    /// <summary>A local edit (already durable): send it to every peer.</summary>
    public IReadOnlyList<OutgoingEnvelope<TKey>> LocalUpdate(string docId, byte[] update)
    {
        var output = new List<OutgoingEnvelope<TKey>>();
        Broadcast(s => s.OnLocalUpdate(docId, update), output);
        return output;
    }

    /// <summary>A document created or renamed locally (already durable): announce it to every peer.</summary>
    public IReadOnlyList<OutgoingEnvelope<TKey>> LocalDocumentChanged(SyncDocument doc)
    {
        var output = new List<OutgoingEnvelope<TKey>>();
        Broadcast(s => s.OnDocumentChanged(doc), output);
        return output;
    }

    // Runs produce on every session except the one on skipConnection (when hasSkip).
    private void Broadcast(
        Func<PeerSyncSession, IReadOnlyList<Envelope>> produce,
        List<OutgoingEnvelope<TKey>> output,
        bool hasSkip = false,
        TKey skipConnection = default!)
    {
        foreach (var key in _order)
        {
            if (hasSkip && EqualityComparer<TKey>.Default.Equals(key, skipConnection))
            {
                continue;
            }

            output.AddRange(To(key, produce(_sessions[key])));
        }
    }

    private static IEnumerable<OutgoingEnvelope<TKey>> To(TKey connection, IReadOnlyList<Envelope> envelopes) =>
        envelopes.Select(e => new OutgoingEnvelope<TKey>(connection, e));
}
