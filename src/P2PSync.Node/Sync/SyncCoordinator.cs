using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>
/// All of one node's <see cref="PeerSyncSession"/>s, and the relaying between them: records
/// accepted from one peer are passed on, byte for byte, to every other connected peer that can see
/// the document's space; a document created or renamed by one peer is announced to the others
/// that can see it; a space changed by one peer is described to the others. Pure like the
/// sessions: the caller owns the connections (identified by <typeparamref name="TKey"/>), sends
/// what each method returns, and calls one method at a time.
/// </summary>
/// <remarks>
/// Relaying is what makes a partial mesh converge (A-B-C with no A-C link). It cannot loop:
/// <see cref="ISyncDocumentSource.ApplyRemoteRecords"/> lists only records it did not hold, a
/// rename only wins once per stamp, and a space state changes a space only once per entry or key.
/// Each session checks visibility itself, so a relay never reaches a peer outside the space.
/// </remarks>
internal sealed class SyncCoordinator<TKey>
    where TKey : notnull
{
    private readonly ISyncDocumentSource _source;
    private readonly ISpaceSource _spaces;
    private readonly string _localDeviceName;
    private readonly Dictionary<TKey, PeerSyncSession> _sessions = [];

    // Connection order, so relaying visits peers in a reproducible order (seeded simulations replay exactly).
    private readonly List<TKey> _order = [];

    public SyncCoordinator(ISyncDocumentSource source, ISpaceSource spaces, string localDeviceName)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _spaces = spaces ?? throw new ArgumentNullException(nameof(spaces));
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

        var session = new PeerSyncSession(_source, _spaces, remoteDevice, _localDeviceName);
        _sessions.Add(connection, session);
        _order.Add(connection);
        var output = new List<OutgoingEnvelope<TKey>>();
        AddTo(output, connection, session.OnConnected());
        return output;
    }

    /// <summary>Forgets a closed connection. Returns false if it had no session.</summary>
    public bool Disconnect(TKey connection)
    {
        _order.Remove(connection);
        return _sessions.Remove(connection);
    }

    /// <summary>
    /// Handles an envelope from <paramref name="connection"/>: replies go back to it; the spaces,
    /// documents and records it changed are passed on to every other connection (spaces first, so
    /// a peer learns it became a member before it hears of the space's documents).
    /// </summary>
    /// <exception cref="SyncProtocolException">The peer broke the protocol: close and <see cref="Disconnect"/> it.</exception>
    public IReadOnlyList<OutgoingEnvelope<TKey>> Receive(TKey connection, Envelope envelope) =>
        Receive(connection, envelope, out _);

    /// <inheritdoc cref="Receive(TKey, Envelope)"/>
    /// <param name="refusals">What the envelope brought that was refused or ignored, for the log.</param>
    public IReadOnlyList<OutgoingEnvelope<TKey>> Receive(TKey connection, Envelope envelope, out IReadOnlyList<string> refusals)
    {
        var session = _sessions.GetValueOrDefault(connection)
            ?? throw new InvalidOperationException("envelope for a connection without a session");
        var result = session.OnEnvelope(envelope);
        refusals = result.Refusals;
        var output = new List<OutgoingEnvelope<TKey>>();
        AddTo(output, connection, result.Replies);
        foreach (var space in result.ChangedSpaces)
        {
            Broadcast(s => s.OnSpaceChanged(space), output, hasSkip: true, skipConnection: connection);
        }

        foreach (var doc in result.ChangedDocuments)
        {
            Broadcast(s => s.OnDocumentChanged(doc), output, hasSkip: true, skipConnection: connection);
        }

        foreach (var applied in result.AppliedRecords)
        {
            Broadcast(s => s.OnLocalRecords(applied.DocId, applied.Records), output, hasSkip: true, skipConnection: connection);
        }

        return output;
    }

    /// <summary>Records written locally (already durable): send them to every peer that can see the document's space.</summary>
    public IReadOnlyList<OutgoingEnvelope<TKey>> LocalRecords(string docId, IReadOnlyList<byte[]> records)
    {
        var output = new List<OutgoingEnvelope<TKey>>();
        Broadcast(s => s.OnLocalRecords(docId, records), output);
        return output;
    }

    /// <summary>A document created or renamed locally (already durable): announce it to every peer that can see it.</summary>
    public IReadOnlyList<OutgoingEnvelope<TKey>> LocalDocumentChanged(SyncDocument doc)
    {
        var output = new List<OutgoingEnvelope<TKey>>();
        Broadcast(s => s.OnDocumentChanged(doc), output);
        return output;
    }

    /// <summary>
    /// A space created or changed locally (already durable): describe it to every peer that is a
    /// member now, and introduce its documents to those that just became one.
    /// </summary>
    public IReadOnlyList<OutgoingEnvelope<TKey>> LocalSpaceChanged(SpaceId space)
    {
        var output = new List<OutgoingEnvelope<TKey>>();
        Broadcast(s => s.OnSpaceChanged(space), output);
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

            AddTo(output, key, produce(_sessions[key]));
        }
    }

    private static void AddTo(List<OutgoingEnvelope<TKey>> output, TKey connection, IReadOnlyList<Envelope> envelopes)
    {
        foreach (var envelope in envelopes)
        {
            output.Add(new OutgoingEnvelope<TKey>(connection, envelope));
        }
    }
}
