using Microsoft.Extensions.Logging;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The node's live documents: one in-memory <see cref="Doc"/> per id, loaded on first use, kept
/// in step with the store. A change is announced through <see cref="Updated"/> as soon as it is
/// applied, and the call that made it returns only once it is durable.
/// </summary>
/// <remarks>
/// One lock guards both the docs and the store: announcing under the lock gives every subscriber
/// the updates of a document in order. Subscribers must only enqueue work, never block.
/// <para>
/// Announce, then commit: a change is relayed as soon as it is applied, and committed by the
/// <see cref="WriteBehindLog"/> on its own task, so neither relaying a keystroke nor reading the
/// next message waits for an fsync (most of a hop's latency). That loses nothing: whoever made a
/// change (a websocket client, a peer, an API caller) still holds it until our commit, the API
/// answers only after <see cref="WhenDurableAsync"/>, and a peer or client that got a copy we then
/// lose in a crash hands it back on the next sync (state vectors).
/// </para>
/// <para>
/// Group commit: inside <see cref="Batch{T}"/> the appends of every update applied are collected
/// and queued together when the batch ends, right after announcing them; the log commits whatever
/// queued up meanwhile in one transaction.
/// </para>
/// <para>
/// Signed records (docs/protocol/signed-record.md): with <see cref="RecordSigning"/> every local
/// change (websocket client, API, CLI) is signed by this device before it is queued; consecutive
/// local changes of one document in one batch share ONE record, so a burst costs one signature.
/// Changes from peers arrive as records already checked (<see cref="ApplyRecords"/>) and are kept
/// byte for byte. A record commits in the same transaction as the update it carries.
/// </para>
/// </remarks>
internal sealed class DocumentHub : IAsyncDisposable
{
    private readonly IDocumentPersistence _persistence;
    private readonly WriteBehindLog _log;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly Dictionary<string, Doc> _live = new(StringComparer.Ordinal);

    // Head seqs including appends announced but not yet committed (the store assigns the same
    // numbers, in the same order). Read without the lock: the relay path tags every frame with it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _heads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _fullStates = new(StringComparer.Ordinal);

    // Records of known documents: the sync and websocket hot paths ask "does it exist?" per message,
    // and every change of a record goes through this hub, so the cache cannot go stale.
    private readonly Dictionary<string, DocumentRecord> _records = new(StringComparer.Ordinal);
    private readonly Lock _gate;
    private readonly RecordSigning? _signing;

    // Each loaded document's signed records (what peers are served from) and the signing of local changes.
    private readonly DocumentRecordBook _recordBook;
    private List<PendingAppend>? _batch;

    // The write-behind ticket of the newest change queued (under the lock): what EditDurablyAsync waits for.
    private long _lastTicket;

    /// <param name="persistence">The durable side.</param>
    /// <param name="storeGate">The lock every user of the store's connection takes (see <see cref="PeerBook"/>).</param>
    /// <param name="logger">Where commit failures are reported.</param>
    /// <param name="signing">How local changes are signed; null = not at all (tests of the hub alone, which never sync).</param>
    public DocumentHub(IDocumentPersistence persistence, Lock storeGate, Microsoft.Extensions.Logging.ILogger? logger = null, RecordSigning? signing = null)
    {
        _persistence = persistence;
        _signing = signing;
        _recordBook = new DocumentRecordBook(persistence, signing);
        _gate = storeGate;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _log = new WriteBehindLog(persistence, _logger);
    }

    /// <summary>A document's content changed; raised once applied, just before it is committed.</summary>
    public event Action<DocumentUpdate>? Updated;

    /// <summary>Updates were committed to a document's log: the id and how many (log maintenance follows this, not <see cref="Updated"/>). Raised on the log's task.</summary>
    public event Action<string, int>? Stored
    {
        add => _log.Stored += value;
        remove => _log.Stored -= value;
    }

    /// <summary>Completes once every change made before this call is durable.</summary>
    /// <exception cref="Storage.StoreException">Committing one of them failed (it is retried when the cause is transient).</exception>
    public Task WhenDurableAsync() => _log.WhenDurableAsync();

    /// <summary>Commits what is still queued; call before closing the store.</summary>
    public ValueTask DisposeAsync() => _log.DisposeAsync();

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
            if (_records.TryGetValue(docId, out var cached))
            {
                return cached;
            }

            // Unknown ids are not cached: a hostile peer could otherwise grow the cache at will.
            var record = _persistence.Get(docId);
            if (record is not null)
            {
                _records[docId] = record;
            }

            return record;
        }
    }

    /// <summary>Where <see cref="Create(string, object)"/> puts new documents: the node's personal space (empty for a hub used alone).</summary>
    public Func<SpaceId> DefaultSpace { get; set; } = () => default;

    /// <summary>Creates an empty document in the <see cref="DefaultSpace"/> (the personal space) and announces it.</summary>
    /// <exception cref="ReadOnlyDocumentException">This device may not write in that space.</exception>
    public DocumentRecord Create(string name, object source) => Create(name, DefaultSpace(), source);

    /// <summary>Creates an empty document in <paramref name="space"/> and announces it.</summary>
    /// <exception cref="ReadOnlyDocumentException">This device may not write in that space.</exception>
    public DocumentRecord Create(string name, SpaceId space, object source)
    {
        lock (_gate)
        {
            if (_signing is not null && !_signing.CanWrite(space))
            {
                throw new ReadOnlyDocumentException("(new)", space);
            }

            var record = _persistence.Create(name, space);
            _records[record.Id] = record;
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
            _records[record.Id] = record;
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
            _records[record.Id] = record;
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
    /// Runs <paramref name="work"/> under the hub's lock as one group commit: every update that
    /// <see cref="ApplyUpdate"/> or <see cref="Edit"/> takes in meanwhile is stored in one
    /// transaction when the work ends (also when it throws: what was applied is kept), announced
    /// just before that commit; the call returns after it. Nested batches join the outer one.
    /// </summary>
    public T Batch<T>(Func<T> work)
    {
        lock (_gate)
        {
            if (_batch is not null)
            {
                return work();
            }

            _batch = [];
            try
            {
                return work();
            }
            finally
            {
                var batch = _batch;
                _batch = null;
                Flush(batch);
            }
        }
    }

    /// <summary>
    /// What a client with <paramref name="stateVector"/> lacks, as one v1 update. The full state
    /// (empty state vector: a fresh client) is encoded once per document version and reused.
    /// </summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="UpdateFormatException">The state vector is malformed.</exception>
    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> stateVector)
    {
        lock (_gate)
        {
            var doc = LiveDoc(docId);
            if (!IsEmptyStateVector(stateVector.Span))
            {
                return Y.EncodeStateAsUpdate(doc, stateVector);
            }

            if (!_fullStates.TryGetValue(docId, out var full))
            {
                full = Y.EncodeStateAsUpdate(doc);
                _fullStates[docId] = full;
            }

            return full;
        }
    }

    /// <summary>
    /// Applies a v1 update a local client wrote (a websocket client): validated against the live
    /// doc, signed, stored, then announced. Returns the change the document underwent (what to
    /// relay), or null when it did not change: a duplicate (not stored) or structs that wait for
    /// missing dependencies (stored and signed, announced later with the update that completes them).
    /// </summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="ReadOnlyDocumentException">This device may not write in the document's space; nothing changed.</exception>
    /// <exception cref="UpdateFormatException">The bytes are not a valid update; nothing changed.</exception>
    public byte[]? ApplyUpdate(string docId, byte[] update, object source)
    {
        lock (_gate)
        {
            var doc = LiveDoc(docId);
            RequireWritable(docId);
            var (change, unseen) = Integrate(doc, update, source);
            if (change is null && !unseen)
            {
                return null;
            }

            _fullStates.Remove(docId);
            Store(new PendingAppend(docId, update, OriginLabel(source), change is null ? null : new DocumentUpdate(docId, change, source), Local: true));
            return change;
        }
    }

    /// <summary>
    /// Takes in signed records from a peer or a handoff, each already checked by the caller
    /// (signature, space, author's role: <see cref="RecordGate"/>). A record this hub already holds
    /// is skipped; one that differs from the record held at the same (author, seq) is refused. The
    /// others are applied, stored byte for byte with the updates they brought, and announced.
    /// Every update of every record is validated before anything is applied, so a malformed record
    /// changes nothing.
    /// </summary>
    /// <returns>The records taken in (to relay) and one line per refused record.</returns>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="UpdateFormatException">An update inside a record is malformed; nothing changed.</exception>
    public RecordIntake ApplyRecords(string docId, IReadOnlyList<SignedRecord> records, object source)
    {
        lock (_gate)
        {
            var doc = LiveDoc(docId);
            var set = _recordBook.Of(docId);
            var accepted = new List<byte[]>();
            var refusals = new List<string>();
            foreach (var record in records)
            {
                if (set.Find(record.Author, record.Seq) is { } held)
                {
                    if (!held.Hash.SequenceEqual(record.Hash))
                    {
                        refusals.Add($"record {record.Author.ToShortString()}#{record.Seq} of {docId} differs from the one already held at that seq (its author signed two different records); kept the first");
                    }

                    continue;
                }

                // Several updates in one record (a burst signed together) are merged first: merging
                // decodes all of them, so a malformed one throws before anything is applied.
                var payload = record.Updates.Count == 1
                    ? record.Updates[0].ToArray()
                    : Y.MergeUpdates([.. record.Updates.Select(u => u.ToArray())]);
                var (change, unseen) = Integrate(doc, payload, source);
                set.Add(record);
                accepted.Add(record.Encoded);
                _fullStates.Remove(docId);
                var row = new RecordRow(docId, record.Author.PublicKey.ToArray(), record.Seq, record.Encoded);
                var announce = new DocumentUpdate(docId, change ?? [], source, [record.Encoded]);
                Store(new PendingAppend(docId, change is not null || unseen ? payload : null, OriginLabel(source), announce) { Records = [row] });
            }

            return new RecordIntake(accepted, refusals);
        }
    }

    /// <summary>Whether the document holds exactly this record (same author, seq and bytes).</summary>
    public bool Holds(string docId, SignedRecord record)
    {
        lock (_gate)
        {
            LiveDoc(docId);
            return _recordBook.Of(docId).Find(record.Author, record.Seq) is { } held && held.Hash.SequenceEqual(record.Hash);
        }
    }

    /// <summary>The encoded records <paramref name="author"/> signed for the document with a seq above <paramref name="afterSeq"/>, in seq order.</summary>
    public IReadOnlyList<(ulong Seq, byte[] Record)> RecordsOfAuthorAfter(string docId, DeviceId author, ulong afterSeq)
    {
        lock (_gate)
        {
            LiveDoc(docId);
            var set = _recordBook.Of(docId);
            var found = new List<(ulong, byte[])>();
            for (var seq = afterSeq + 1; seq < set.NextSeq(author); seq++)
            {
                if (set.Find(author, seq) is { } record)
                {
                    found.Add((seq, record.Encoded));
                }
            }

            return found;
        }
    }

    /// <summary>What this node holds of the document's records: per author the highest contiguous seq.</summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    public RecordVector RecordVectorOf(string docId)
    {
        lock (_gate)
        {
            LiveDoc(docId);
            return _recordBook.Of(docId).Vector;
        }
    }

    /// <summary>The encoded records a holder of <paramref name="remote"/> lacks, per author in seq order.</summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    public IReadOnlyList<byte[]> RecordsBeyond(string docId, RecordVector remote)
    {
        lock (_gate)
        {
            LiveDoc(docId);
            return [.. _recordBook.Of(docId).Beyond(remote).Select(record => record.Encoded)];
        }
    }

    /// <summary>How many signed records the document holds.</summary>
    public int RecordCount(string docId)
    {
        lock (_gate)
        {
            LiveDoc(docId);
            return _recordBook.Of(docId).Count;
        }
    }

    /// <summary>
    /// Signs the whole current content of a document that has no record yet, as this device's
    /// record: documents from before schema 4 held unsigned content that peers could not
    /// otherwise be served. Returns false when the document already has records or is empty.
    /// </summary>
    public bool SignExistingContent(string docId)
    {
        lock (_gate)
        {
            var doc = LiveDoc(docId);
            if (_signing is null || _recordBook.Of(docId).Count > 0)
            {
                return false;
            }

            var full = Y.EncodeStateAsUpdate(doc);
            if (IsEmptyUpdate(full))
            {
                return false;
            }

            var (record, row) = _recordBook.Sign(docId, Get(docId)!.Space, [full]);
            Store(new PendingAppend(docId, null, "bootstrap", new DocumentUpdate(docId, [], "bootstrap", [record.Encoded])) { Records = [row] });
            return true;
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
            RequireWritable(docId);
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

            _fullStates.Remove(docId);

            var update = updates.Count == 1 ? updates[0] : Y.MergeUpdates(updates);
            Store(new PendingAppend(docId, update, OriginLabel(source), new DocumentUpdate(docId, update, source), Local: true));
            return update;
        }
    }

    /// <summary>
    /// <see cref="Edit"/>, then waits until that very change is durable: what the API and the
    /// offline CLI acknowledge. Not for use inside <see cref="Batch{T}"/>.
    /// </summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="Storage.StoreException">The store refused the change (it stays in memory only).</exception>
    public async Task<byte[]?> EditDurablyAsync(string docId, Action<Doc> edit, object source)
    {
        byte[]? update;
        long ticket;
        lock (_gate)
        {
            if (_batch is not null)
            {
                throw new InvalidOperationException("EditDurablyAsync cannot run inside a batch: the batch commits only when it ends");
            }

            update = Edit(docId, edit, source);
            ticket = _lastTicket;
        }

        if (update is not null)
        {
            await _log.WhenDurableAsync(ticket).ConfigureAwait(false);
        }

        return update;
    }

    /// <summary>
    /// The seq of the document's newest update (0 = none), counting one announced a moment before
    /// its commit: "behind by N" counts against it. Does not wait for a running commit.
    /// </summary>
    public long HeadSeq(string docId)
    {
        if (_heads.TryGetValue(docId, out var head))
        {
            return head;
        }

        lock (_gate)
        {
            return KnownHead(docId);
        }
    }

    /// <summary>Stores now, or at the end of the running batch; announces first (see the class remarks).</summary>
    private void Store(PendingAppend pending)
    {
        if (_batch is not null)
        {
            _batch.Add(pending);
            return;
        }

        Flush([pending]);
    }

    private void Flush(List<PendingAppend> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (_signing is not null)
        {
            _recordBook.SignLocalRuns(batch, docId => (Get(docId) ?? throw new UnknownDocumentException(docId)).Space);
        }

        // The store numbers each document's log appends 1, 2, 3... in queue order; so does this.
        foreach (var pending in batch)
        {
            if (pending.Update is not null)
            {
                _heads[pending.DocId] = KnownHead(pending.DocId) + 1;
            }
        }

        // Queued before anything is announced: whatever a subscriber does, the batch gets stored.
        _lastTicket = _log.Enqueue(batch);

        // Consecutive changes of one document from one source go out as ONE merged update: a burst
        // of keystrokes then costs one relay frame, one peer commit and one websocket message
        // instead of one each. Order between documents and sources is kept.
        var run = new List<DocumentUpdate>();
        foreach (var pending in batch)
        {
            if (pending.Announce is not { } announce)
            {
                continue;
            }

            if (run.Count > 0 && (run[0].DocId != announce.DocId || !Equals(run[0].Source, announce.Source)))
            {
                Announce(run);
            }

            run.Add(announce);
        }

        Announce(run);
    }

    /// <exception cref="ReadOnlyDocumentException">This device may not write in the document's space.</exception>
    private void RequireWritable(string docId)
    {
        if (_signing is not null && Get(docId) is { } record && !_signing.CanWrite(record.Space))
        {
            throw new ReadOnlyDocumentException(docId, record.Space);
        }
    }

    /// <summary>Applies one v1 update; returns the change the document underwent (null if none) and whether it held structs the doc lacked.</summary>
    private static (byte[]? Change, bool Unseen) Integrate(Doc doc, byte[] update, object source)
    {
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
            return (null, HasUnseenStructs(update, before));
        }

        return (emitted.Count == 1 ? emitted[0] : Y.MergeUpdates(emitted), true);
    }

    private static bool IsEmptyUpdate(byte[] update) => update.Length == 2 && update[0] == 0 && update[1] == 0;

    /// <summary>The head seq as far as this hub knows (cached, else the store's). Call under the lock.</summary>
    private long KnownHead(string docId)
    {
        if (!_heads.TryGetValue(docId, out var head))
        {
            head = _persistence.HeadSeq(docId);
            _heads[docId] = head;
        }

        return head;
    }

    private void Announce(List<DocumentUpdate> run)
    {
        if (run.Count == 0)
        {
            return;
        }

        if (run.Count == 1)
        {
            var single = run[0];
            run.Clear();
            Raise(single);
            return;
        }

        var contents = run.Where(u => u.Update.Length > 0).Select(u => u.Update).ToList();
        var merged = run[0] with
        {
            Update = contents.Count switch
            {
                0 => [],
                1 => contents[0],
                _ => Y.MergeUpdates(contents),
            },
            Records = [.. run.SelectMany(u => u.Records)],
        };
        run.Clear();
        Raise(merged);
    }

    /// <summary>Tells every subscriber; one that throws (a bug) is logged and does not keep the change from the others.</summary>
    private void Raise(DocumentUpdate update)
    {
        if (Updated is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<DocumentUpdate>>())
        {
            try
            {
                handler(update);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "a subscriber to document changes failed on {DocId}: {Reason}", update.DocId, ex.Message);
            }
        }
    }

    /// <summary>An empty v1 state vector is the single varuint 0 (no clients); a fresh client sends it.</summary>
    private static bool IsEmptyStateVector(ReadOnlySpan<byte> stateVector) => stateVector.Length == 1 && stateVector[0] == 0;

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
