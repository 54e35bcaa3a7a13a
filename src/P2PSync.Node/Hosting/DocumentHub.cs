using P2PSync.Crdt;
using P2PSync.Crdt.Core;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The node's live documents: one in-memory <see cref="Doc"/> per id, loaded on first use, kept
/// in step with the store. Every change is written durably first and only then announced through
/// <see cref="Updated"/>, so nothing a peer or websocket client has seen can be lost by a crash.
/// </summary>
/// <remarks>
/// One lock guards both the docs and the store: SQLite's connection is single-threaded anyway, and
/// announcing under the lock gives every subscriber the updates of a document in commit order.
/// Subscribers must only enqueue work, never block.
/// </remarks>
internal sealed class DocumentHub
{
    private readonly IDocumentPersistence _persistence;
    private readonly Dictionary<string, Doc> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _heads = new(StringComparer.Ordinal);
    private readonly Lock _gate;

    /// <param name="persistence">The durable side.</param>
    /// <param name="storeGate">The lock every user of the store's connection takes (see <see cref="PeerBook"/>).</param>
    public DocumentHub(IDocumentPersistence persistence, Lock storeGate)
    {
        _persistence = persistence;
        _gate = storeGate;
    }

    /// <summary>A document's content changed; raised after the change is durable.</summary>
    public event Action<DocumentUpdate>? Updated;

    /// <summary>A document was created, adopted from a peer or renamed; the object is the source.</summary>
    public event Action<DocumentRecord, object>? Created;

    /// <summary>Every document, oldest first.</summary>
    public IReadOnlyList<DocumentRecord> List()
    {
        lock (_gate)
        {
            return _persistence.List();
        }
    }

    /// <summary>The document with this id, or null.</summary>
    public DocumentRecord? Get(string docId)
    {
        lock (_gate)
        {
            return _persistence.Get(docId);
        }
    }

    /// <summary>Creates an empty document and announces it.</summary>
    public DocumentRecord Create(string name, object source)
    {
        lock (_gate)
        {
            var record = _persistence.Create(name);
            Created?.Invoke(record, source);
            return record;
        }
    }

    /// <summary>Renames a document here and announces it (peers adopt the newer name).</summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    public DocumentRecord Rename(string docId, string name, object source)
    {
        lock (_gate)
        {
            if (_persistence.Get(docId) is null)
            {
                throw new UnknownDocumentException(docId);
            }

            var record = _persistence.Rename(docId, name);
            Created?.Invoke(record, source);
            return record;
        }
    }

    /// <summary>
    /// Takes in a document a peer announced (new, or renamed later than our name); raises
    /// <see cref="Created"/> when that changed anything here.
    /// </summary>
    public DocumentRecord Accept(DocumentRecord announced, object source)
    {
        lock (_gate)
        {
            var (record, changed) = _persistence.Accept(announced);
            if (changed)
            {
                Created?.Invoke(record, source);
            }

            return record;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the live document under the hub's lock (state vectors,
    /// diffs, text). The callback must not keep the doc.
    /// </summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    public T Read<T>(string docId, Func<Doc, T> read)
    {
        lock (_gate)
        {
            return read(LiveDoc(docId));
        }
    }

    /// <summary>
    /// Applies a v1 update received from <paramref name="source"/>: validated against the live doc,
    /// stored, then announced. Returns the change the document underwent (what to relay), or null
    /// when it did not change: a duplicate (not stored) or structs that wait for missing
    /// dependencies (stored, announced later with the update that completes them).
    /// </summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="UpdateFormatException">The bytes are not a valid update; nothing changed.</exception>
    public byte[]? ApplyUpdate(string docId, byte[] update, object source)
    {
        lock (_gate)
        {
            var doc = LiveDoc(docId);
            var emitted = new List<byte[]>();
            void OnUpdate(object? sender, UpdateEventArgs e) => emitted.Add(e.Update);
            var before = Y.EncodeStateVector(doc);
            doc.Update += OnUpdate;
            try
            {
                // Phase 1 of ApplyUpdate validates the whole update before touching the doc, so a
                // malformed update throws here and neither the doc nor the log changes.
                Y.ApplyUpdate(doc, update, source);
            }
            finally
            {
                doc.Update -= OnUpdate;
            }

            // Structs whose dependencies are missing wait in the doc's pending set and emit nothing
            // yet; they must still reach the log or a restart would forget them.
            if (emitted.Count == 0)
            {
                if (HasUnseenStructs(update, before))
                {
                    _heads[docId] = _persistence.AppendUpdate(docId, update, OriginLabel(source));
                }

                return null;
            }

            var change = emitted.Count == 1 ? emitted[0] : Y.MergeUpdates(emitted);
            _heads[docId] = _persistence.AppendUpdate(docId, update, OriginLabel(source));
            Updated?.Invoke(new DocumentUpdate(docId, change, source));
            return change;
        }
    }

    /// <summary>
    /// Changes the live document through <paramref name="edit"/> (one transaction), stores the
    /// resulting update and announces it. Returns the update, or null if the edit changed nothing.
    /// </summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    public byte[]? Edit(string docId, Action<Doc> edit, object source)
    {
        lock (_gate)
        {
            var doc = LiveDoc(docId);
            var updates = new List<byte[]>();
            void OnUpdate(object? sender, UpdateEventArgs e) => updates.Add(e.Update);
            doc.Update += OnUpdate;
            try
            {
                doc.Transact(_ => edit(doc), source);
            }
            finally
            {
                doc.Update -= OnUpdate;
            }

            if (updates.Count == 0)
            {
                return null;
            }

            var update = updates.Count == 1 ? updates[0] : Y.MergeUpdates(updates);
            Commit(docId, update, source);
            return update;
        }
    }

    /// <summary>The seq of the document's newest stored update (0 = none): "behind by N" counts against it.</summary>
    public long HeadSeq(string docId)
    {
        lock (_gate)
        {
            if (!_heads.TryGetValue(docId, out var head))
            {
                head = _persistence.HeadSeq(docId);
                _heads[docId] = head;
            }

            return head;
        }
    }

    private void Commit(string docId, byte[] update, object source)
    {
        _heads[docId] = _persistence.AppendUpdate(docId, update, OriginLabel(source));
        Updated?.Invoke(new DocumentUpdate(docId, update, source));
    }

    private Doc LiveDoc(string docId)
    {
        if (_live.TryGetValue(docId, out var doc))
        {
            return doc;
        }

        if (_persistence.Get(docId) is null)
        {
            throw new UnknownDocumentException(docId);
        }

        doc = _persistence.LoadDoc(docId);
        _live.Add(docId, doc);
        return doc;
    }

    private static bool HasUnseenStructs(byte[] update, byte[] stateVectorBefore)
    {
        var known = Y.DecodeStateVector(stateVectorBefore);
        foreach (var (client, end) in Y.ParseUpdateMeta(update).To)
        {
            if (!known.TryGetValue(client, out var clock) || clock < end)
            {
                return true;
            }
        }

        return false;
    }

    private static string OriginLabel(object source) => source switch
    {
        string text => text,
        IUpdateSource named => named.OriginLabel,
        _ => source.GetType().Name,
    };
}
