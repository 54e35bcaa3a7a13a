using Microsoft.Data.Sqlite;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>
/// Documents, their append-only update logs and snapshots. Synchronous on purpose: SQLite is
/// synchronous, and the host calls this off its network threads. Safe to use from several
/// threads at once (see <see cref="StoreTransactions"/>).
/// </summary>
internal sealed class DocumentRepository
{
    /// <summary>The origin passed to Y.ApplyUpdate while a document is rebuilt from the store.</summary>
    public const string LoadOrigin = "p2psync-store";

    private const string InfoColumns = """
        SELECT d.id, d.name, d.created, d.name_changed_ms, d.name_changed_by,
               COALESCE(s.upto_seq, 0),
               MAX(COALESCE((SELECT MAX(l.seq) FROM update_log l WHERE l.doc_id = d.id), 0), COALESCE(s.upto_seq, 0)),
               d.space_id
        FROM documents d LEFT JOIN doc_snapshots s ON s.doc_id = d.id
        """;

    private readonly StoreTransactions transactions;
    private readonly TimeProvider time;

    public DocumentRepository(StoreTransactions transactions, TimeProvider time)
    {
        this.transactions = transactions;
        this.time = time;
    }

    /// <summary>
    /// Creates an empty document with a new random id (see <see cref="DocumentIds.New"/>). Its
    /// name is stamped (now, <paramref name="createdBy"/>); an empty id records no device. Who
    /// created it can never decide a tie (every later rename is stamped at least 1 ms later, see
    /// <see cref="Rename"/>), so tools that act for no device may leave it out.
    /// </summary>
    public DocumentInfo Create(string name, DeviceId createdBy = default) => CreateIn(name, null, createdBy);

    /// <summary>
    /// Like <see cref="Create(string, DeviceId)"/>, in the space with these 16 id bytes, which
    /// must be stored (<see cref="SpaceNotFoundException"/> otherwise). The space never changes.
    /// </summary>
    public DocumentInfo Create(string name, byte[] spaceId, DeviceId createdBy = default)
    {
        StoreBlobs.RequireLength(spaceId, StoreBlobs.SpaceIdLength, "space id");
        return CreateIn(name, spaceId, createdBy);
    }

    /// <summary>
    /// <see cref="AcceptAnnounced(string, string, long, long, string)"/> for a document of the
    /// space with these 16 id bytes (which must be stored): a new document is created in it; an
    /// existing one keeps the space it has (a space never changes once set; the returned info
    /// carries it, so the caller can see a mismatch).
    /// </summary>
    public (DocumentInfo Document, AnnounceOutcome Outcome) AcceptAnnounced(
        string id, string name, long createdMs, long nameChangedMs, string nameChangedBy, byte[] spaceId)
    {
        StoreBlobs.RequireLength(spaceId, StoreBlobs.SpaceIdLength, "space id");
        return Accept(id, name, createdMs, nameChangedMs, nameChangedBy, spaceId);
    }

    /// <summary>
    /// Takes in a document a peer announced: creates it under the peer's id if it is new here,
    /// or adopts the peer's name when its <see cref="NameVersion"/> wins over ours (later time,
    /// then larger renaming device, then larger name: exactly the sync layer's rule, so every
    /// replica keeps the same name whatever order announcements arrive in).
    /// </summary>
    /// <param name="nameChangedBy">DeviceId text (canonical form) of the device that set the name, or empty when unknown.</param>
    public (DocumentInfo Document, AnnounceOutcome Outcome) AcceptAnnounced(string id, string name, long createdMs, long nameChangedMs, string nameChangedBy) =>
        Accept(id, name, createdMs, nameChangedMs, nameChangedBy, null);

    private (DocumentInfo Document, AnnounceOutcome Outcome) Accept(string id, string name, long createdMs, long nameChangedMs, string nameChangedBy, byte[]? spaceId)
    {
        DocumentIds.Validate(id);
        DocumentNames.Validate(name);
        NameAuthors.Validate(nameChangedBy);
        if (createdMs < 0 || nameChangedMs < 0)
        {
            throw new InvalidStoreInputException("document time", $"it is negative (created {createdMs}, renamed {nameChangedMs})");
        }

        var announced = new NameVersion(name, nameChangedMs, nameChangedBy);
        return transactions.Write((connection, transaction) =>
        {
            var existing = ReadInfo(connection, transaction, id);
            if (existing is null)
            {
                if (spaceId is not null)
                {
                    SpaceRepository.RequireSpace(connection, transaction, spaceId);
                }

                connection.Execute(
                    transaction,
                    "INSERT INTO documents (id, name, created, name_changed_ms, name_changed_by, space_id) VALUES ($id, $name, $created, $changed, $by, $space)",
                    ("$id", id),
                    ("$name", name),
                    ("$created", createdMs),
                    ("$changed", nameChangedMs),
                    ("$by", nameChangedBy),
                    ("$space", spaceId));
                return (new DocumentInfo(id, name, createdMs, nameChangedMs, nameChangedBy, 0, 0) { SpaceId = spaceId }, AnnounceOutcome.Created);
            }

            if (!announced.WinsOver(existing.NameVersion))
            {
                return (existing, AnnounceOutcome.Unchanged);
            }

            SetName(connection, transaction, id, announced);
            return (existing with { Name = name, NameChangedMs = nameChangedMs, NameChangedBy = nameChangedBy }, AnnounceOutcome.Renamed);
        });
    }

    /// <summary>All documents, oldest first.</summary>
    public IReadOnlyList<DocumentInfo> List() =>
        transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(transaction, InfoColumns + " ORDER BY d.created, d.id");
            using var reader = command.ExecuteReader();
            var documents = new List<DocumentInfo>();
            while (reader.Read())
            {
                documents.Add(ReadInfoRow(reader));
            }

            return documents;
        });

    /// <summary>The document with <paramref name="id"/>, or null if this store has none.</summary>
    public DocumentInfo? Get(string id)
    {
        DocumentIds.Validate(id);
        return transactions.Read((connection, transaction) => ReadInfo(connection, transaction, id));
    }

    /// <summary>
    /// Renames a document here, stamped (max(now, previous + 1 ms), <paramref name="renamedBy"/>):
    /// the new name wins over every name this store has seen. Pass the node's own DeviceId; an
    /// empty id (a store used without a device key) records no device and loses same-ms ties.
    /// </summary>
    public DocumentInfo Rename(string id, string name, DeviceId renamedBy)
    {
        DocumentIds.Validate(id);
        DocumentNames.Validate(name);
        var by = NameAuthors.Of(renamedBy);
        var now = NowMs();
        return transactions.Write((connection, transaction) =>
        {
            var existing = ReadInfo(connection, transaction, id) ?? throw new DocumentNotFoundException(id);

            // A rename must beat the name it replaces even if our clock is behind the peer's that set it.
            var renamed = new NameVersion(name, Math.Max(now, existing.NameChangedMs + 1), by);
            SetName(connection, transaction, id, renamed);
            return existing with { Name = name, NameChangedMs = renamed.ChangedMs, NameChangedBy = by };
        });
    }

    /// <summary>
    /// Appends one Yjs v1 update to the document's log and returns its seq. The update is
    /// checked to decode first; when this returns, it is committed and fsynced.
    /// </summary>
    public long AppendUpdate(string docId, byte[] updateV1, string? origin) =>
        AppendUpdates(docId, [updateV1], origin);

    /// <summary>
    /// Appends several updates in one commit (one fsync) and returns the seq of the last one.
    /// All are validated before anything is written: one bad update stores none of them.
    /// </summary>
    public long AppendUpdates(string docId, IReadOnlyList<byte[]> updatesV1, string? origin)
    {
        ArgumentNullException.ThrowIfNull(updatesV1);
        DocumentIds.Validate(docId);
        UpdateBlobs.ValidateOrigin(origin);
        if (updatesV1.Count == 0)
        {
            throw new InvalidStoreInputException("update list", "it is empty");
        }

        foreach (var update in updatesV1)
        {
            UpdateBlobs.Validate(update);
        }

        var now = NowMs();
        return transactions.Write((connection, transaction) =>
        {
            var seq = HeadSeq(connection, transaction, docId) ?? throw new DocumentNotFoundException(docId);
            using var insert = connection.Command(
                transaction,
                "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($doc, $seq, $update, $origin, $now)",
                ("$doc", docId),
                ("$seq", 0L),
                ("$update", Array.Empty<byte>()),
                ("$origin", origin),
                ("$now", now));
            foreach (var update in updatesV1)
            {
                seq++;
                insert.Parameters["$seq"].Value = seq;
                insert.Parameters["$update"].Value = update;
                insert.ExecuteNonQuery();
            }

            return seq;
        });
    }

    /// <summary>
    /// Group commit: appends updates of one or more documents, each with its own origin, in ONE
    /// transaction (one fsync), in list order. Returns each document's new head seq. All entries are
    /// validated before anything is written: one bad entry stores none of them.
    /// </summary>
    /// <param name="entries">What to append, in order.</param>
    /// <param name="appliedByCaller">
    /// The caller has applied every update to a live Doc (which validates the whole update before
    /// changing anything), so decoding it once more here would only repeat that work: ids, sizes
    /// and origins are still checked. For a 220 KB document this saves about 10 ms per commit.
    /// </param>
    public IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] UpdateV1, string? Origin)> entries, bool appliedByCaller = false)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new InvalidStoreInputException("update list", "it is empty");
        }

        return AppendBatch(entries, [], appliedByCaller);
    }

    /// <summary>
    /// <see cref="AppendBatch(IReadOnlyList{ValueTuple{string, byte[], string}}, bool)"/> plus the
    /// signed records the updates came in, all in ONE transaction: the log rows and the record
    /// rows commit together or not at all, so a restart never finds an applied update without
    /// the record that proves who wrote it (or a record whose content was never stored). A
    /// record already held at its (document, author, seq) is skipped. Either list may be empty,
    /// not both. Returns the new head seq of each document that got updates.
    /// </summary>
    public IReadOnlyDictionary<string, long> AppendBatch(
        IReadOnlyList<(string DocId, byte[] UpdateV1, string? Origin)> entries,
        IReadOnlyList<RecordRow> records,
        bool appliedByCaller = false)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(records);
        if (entries.Count == 0 && records.Count == 0)
        {
            throw new InvalidStoreInputException("update list", "it is empty and there are no records either");
        }

        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            record.Validate();
        }

        foreach (var (docId, update, origin) in entries)
        {
            DocumentIds.Validate(docId);
            UpdateBlobs.ValidateOrigin(origin);
            if (appliedByCaller)
            {
                UpdateBlobs.ValidateSize(update);
            }
            else
            {
                UpdateBlobs.Validate(update);
            }
        }

        var now = NowMs();
        return transactions.Write((connection, transaction) =>
        {
            var heads = new Dictionary<string, long>(StringComparer.Ordinal);
            using var insert = connection.Command(
                transaction,
                "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($doc, $seq, $update, $origin, $now)",
                ("$doc", ""),
                ("$seq", 0L),
                ("$update", Array.Empty<byte>()),
                ("$origin", (string?)null),
                ("$now", now));
            foreach (var (docId, update, origin) in entries)
            {
                if (!heads.TryGetValue(docId, out var seq))
                {
                    seq = HeadSeq(connection, transaction, docId) ?? throw new DocumentNotFoundException(docId);
                }

                seq++;
                heads[docId] = seq;
                insert.Parameters["$doc"].Value = docId;
                insert.Parameters["$seq"].Value = seq;
                insert.Parameters["$update"].Value = update;
                insert.Parameters["$origin"].Value = (object?)origin ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }

            SignedRecordRows.Insert(connection, transaction, records, now);
            return (IReadOnlyDictionary<string, long>)heads;
        });
    }

    /// <summary>
    /// The document's signed records ordered by author key (bytewise), then seq. Throws
    /// <see cref="DocumentNotFoundException"/> for an unknown document.
    /// </summary>
    public IReadOnlyList<RecordRow> LoadRecords(string docId)
    {
        DocumentIds.Validate(docId);
        return transactions.Read((connection, transaction) =>
        {
            RequireDocument(connection, transaction, docId);
            return SignedRecordRows.Load(connection, transaction, docId);
        });
    }

    /// <summary>How many signed records each document holds, for status pages (documents with none are left out).</summary>
    public IReadOnlyDictionary<string, int> RecordCounts() =>
        transactions.Read(SignedRecordRows.Counts);

    /// <summary>
    /// The smallest seq this device may sign next for the document: what a device import
    /// recorded with <see cref="SetOwnSeqFloor"/>, 1 when nothing was recorded. The host takes
    /// the larger of this and one past its own highest stored seq.
    /// </summary>
    public long OwnNextSeqFloor(string docId)
    {
        DocumentIds.Validate(docId);
        return transactions.Read((connection, transaction) =>
            (long?)connection.Scalar(transaction, "SELECT next_seq FROM own_seq_floor WHERE doc_id = $doc", ("$doc", docId)) ?? 1L);
    }

    /// <summary>
    /// Raises the document's own-seq floor to <paramref name="nextSeq"/> (never lowers it: a
    /// lower floor could let a restored device reuse a seq it already signed). The document
    /// need not be here yet: after an import it arrives again by sync.
    /// </summary>
    public void SetOwnSeqFloor(string docId, long nextSeq)
    {
        DocumentIds.Validate(docId);
        if (nextSeq < 1)
        {
            throw new InvalidStoreInputException("own seq floor", $"it is {nextSeq}; seqs count from 1");
        }

        transactions.Write((connection, transaction) => connection.Execute(
            transaction,
            """
            INSERT INTO own_seq_floor (doc_id, next_seq) VALUES ($doc, $next)
            ON CONFLICT (doc_id) DO UPDATE SET next_seq = MAX(own_seq_floor.next_seq, excluded.next_seq)
            """,
            ("$doc", docId),
            ("$next", nextSeq)));
    }

    /// <summary>
    /// Puts a document that has no space yet (one from schema 3 or older) into the space with
    /// these 16 id bytes, which must be stored. Returns false and changes nothing when the
    /// document already has a space, even this one: a document's space never changes.
    /// </summary>
    public bool SetSpace(string docId, byte[] spaceId)
    {
        DocumentIds.Validate(docId);
        StoreBlobs.RequireLength(spaceId, StoreBlobs.SpaceIdLength, "space id");
        return transactions.Write((connection, transaction) =>
        {
            RequireDocument(connection, transaction, docId);
            SpaceRepository.RequireSpace(connection, transaction, spaceId);
            return connection.Execute(
                transaction,
                "UPDATE documents SET space_id = $space WHERE id = $id AND space_id IS NULL",
                ("$id", docId),
                ("$space", spaceId)) == 1;
        });
    }

    /// <summary>
    /// <see cref="SetSpace"/> for every document that has no space yet, in one commit (the
    /// personal-space bootstrap after the upgrade to schema 4). Returns how many moved.
    /// </summary>
    public int AssignSpaceWhereMissing(byte[] spaceId)
    {
        StoreBlobs.RequireLength(spaceId, StoreBlobs.SpaceIdLength, "space id");
        return transactions.Write((connection, transaction) =>
        {
            SpaceRepository.RequireSpace(connection, transaction, spaceId);
            return connection.Execute(
                transaction,
                "UPDATE documents SET space_id = $space WHERE space_id IS NULL",
                ("$space", spaceId));
        });
    }

    /// <summary>The document rebuilt from its snapshot and log, in a fresh Doc with a random client id.</summary>
    public Doc LoadDoc(string docId) => Load(docId).Doc;

    /// <summary>
    /// Like <see cref="LoadDoc"/>, also telling which seq the result reflects. Throws
    /// <see cref="StoreCorruptionException"/> naming the document and seq if a stored blob does
    /// not decode; nothing is changed or deleted in that case.
    /// </summary>
    public LoadedDocument Load(string docId)
    {
        DocumentIds.Validate(docId);
        var state = ReadState(docId);
        return new LoadedDocument(Rebuild(docId, state), state.HeadSeq);
    }

    /// <summary>The document's state vector (Yjs v1 encoding), as SyncStep1 sends it.</summary>
    public byte[] StateVector(string docId) => Y.EncodeStateVector(LoadDoc(docId));

    /// <summary>
    /// What a peer with <paramref name="remoteStateVector"/> is missing, as one v1 update
    /// (SyncStep2). An empty state vector means everything.
    /// </summary>
    public byte[] EncodeStateAsUpdate(string docId, ReadOnlyMemory<byte> remoteStateVector)
    {
        var doc = LoadDoc(docId);
        try
        {
            return Y.EncodeStateAsUpdate(doc, remoteStateVector);
        }
        catch (UpdateFormatException ex)
        {
            throw new InvalidStoreInputException("state vector", ex.Message, ex);
        }
    }

    /// <summary>
    /// Folds the snapshot and every log entry present when compaction starts into one new
    /// snapshot, then deletes exactly those entries, in one transaction. The merge runs outside
    /// the write lock; updates appended meanwhile get larger seqs and stay in the log. If
    /// another compaction of the same document commits first, this one writes nothing and
    /// reports zero merged updates.
    /// <para>
    /// The merge replays the pieces into a Doc and encodes it (Y.EncodeStateAsUpdate, which
    /// includes pending structs and deletes, so updates still waiting for a dependency are
    /// kept) rather than calling Y.MergeUpdates on the raw list. Measured on automerge-paper
    /// keystroke updates: one flat MergeUpdates grows quadratically (2,000 updates 1.7 s;
    /// 20,000 still running after 100 s), while replaying all 259,778 takes about 1.2 s and
    /// gives a 223 KB snapshot, about 10x smaller than merged updates because deleted content
    /// is dropped the way Yjs's own GC drops it. It is also the loading code path, so whatever
    /// compacts also loads.
    /// </para>
    /// </summary>
    public CompactionResult Compact(string docId)
    {
        DocumentIds.Validate(docId);
        var state = ReadState(docId);
        if (state.Log.Count == 0)
        {
            return new CompactionResult(docId, state.SnapshotSeq, 0, state.Snapshot?.Length ?? 0);
        }

        var uptoSeq = state.Log[^1].Seq;
        var doc = Rebuild(docId, state);
        var merged = Y.EncodeStateAsUpdate(doc);
        doc.Destroy();
        var now = NowMs();
        var committed = transactions.Write((connection, transaction) =>
        {
            // The snapshot we merged from must still be the current one; otherwise someone else
            // compacted in between and their snapshot already holds (at least) what ours would.
            var currentSeq = (long?)connection.Scalar(
                transaction,
                "SELECT upto_seq FROM doc_snapshots WHERE doc_id = $doc",
                ("$doc", docId)) ?? 0L;
            if (currentSeq != state.SnapshotSeq)
            {
                return false;
            }

            connection.Execute(
                transaction,
                """
                INSERT INTO doc_snapshots (doc_id, upto_seq, state, compacted_ms) VALUES ($doc, $upto, $state, $now)
                ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, state = excluded.state, compacted_ms = excluded.compacted_ms
                """,
                ("$doc", docId),
                ("$upto", uptoSeq),
                ("$state", merged),
                ("$now", now));
            connection.Execute(
                transaction,
                "DELETE FROM update_log WHERE doc_id = $doc AND seq <= $upto",
                ("$doc", docId),
                ("$upto", uptoSeq));
            return true;
        });

        return committed
            ? new CompactionResult(docId, uptoSeq, state.Log.Count, merged.Length)
            : new CompactionResult(docId, state.SnapshotSeq, 0, state.Snapshot?.Length ?? 0);
    }

    private static StoreCorruptionException Corrupt(string docId, long seq, bool snapshot, UpdateFormatException error) =>
        new(
            snapshot
                ? $"document {docId}: the stored snapshot (covering seq 1..{seq}) does not decode: {error.Message}; nothing was changed"
                : $"document {docId}: stored update seq {seq} does not decode: {error.Message}; nothing was changed",
            docId,
            seq,
            error);

    /// <summary>
    /// Applies snapshot then log into a fresh Doc (random client id: a stored id reused by two
    /// live Docs would corrupt the document). A blob that does not decode throws
    /// <see cref="StoreCorruptionException"/> naming the document and seq.
    /// </summary>
    private static Doc Rebuild(string docId, StoredState state)
    {
        var doc = new Doc(new DocOptions { Guid = docId });
        var failure = (UpdateFormatException?)null;
        var failedSeq = 0L;
        var failedSnapshot = false;

        // One outer transaction: observers and cleanup run once, not once per log entry.
        doc.Transact(
            _ =>
            {
                if (state.Snapshot is { } snapshot && !TryApply(doc, snapshot, out failure))
                {
                    failedSeq = state.SnapshotSeq;
                    failedSnapshot = true;
                    return;
                }

                foreach (var (seq, update) in state.Log)
                {
                    if (!TryApply(doc, update, out failure))
                    {
                        failedSeq = seq;
                        return;
                    }
                }
            },
            LoadOrigin);

        if (failure is not null)
        {
            doc.Destroy();
            throw Corrupt(docId, failedSeq, failedSnapshot, failure);
        }

        return doc;
    }

    private static bool TryApply(Doc doc, byte[] update, out UpdateFormatException? failure)
    {
        try
        {
            Y.ApplyUpdate(doc, update, LoadOrigin);
            failure = null;
            return true;
        }
        catch (UpdateFormatException ex)
        {
            failure = ex;
            return false;
        }
    }

    private StoredState ReadState(string docId) =>
        transactions.Read((connection, transaction) =>
        {
            if (connection.Scalar(transaction, "SELECT 1 FROM documents WHERE id = $id", ("$id", docId)) is null)
            {
                throw new DocumentNotFoundException(docId);
            }

            byte[]? snapshot = null;
            var snapshotSeq = 0L;
            using (var command = connection.Command(
                transaction,
                "SELECT upto_seq, state FROM doc_snapshots WHERE doc_id = $doc",
                ("$doc", docId)))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    snapshotSeq = reader.GetInt64(0);
                    snapshot = (byte[])reader.GetValue(1);
                }
            }

            var log = new List<(long Seq, byte[] Update)>();
            using (var command = connection.Command(
                transaction,
                "SELECT seq, update_v1 FROM update_log WHERE doc_id = $doc AND seq > $after ORDER BY seq",
                ("$doc", docId),
                ("$after", snapshotSeq)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    log.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
                }
            }

            return new StoredState(snapshot, snapshotSeq, log);
        });

    private static DocumentInfo? ReadInfo(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        using var command = connection.Command(transaction, InfoColumns + " WHERE d.id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadInfoRow(reader) : null;
    }

    private static DocumentInfo ReadInfoRow(SqliteDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetString(4),
            HeadSeq: reader.GetInt64(6),
            SnapshotSeq: reader.GetInt64(5))
        {
            SpaceId = reader.IsDBNull(7) ? null : (byte[])reader.GetValue(7),
        };

    /// <summary>The newest seq used by the document (0 if none), or null if the document does not exist.</summary>
    private static long? HeadSeq(SqliteConnection connection, SqliteTransaction transaction, string docId)
    {
        if (connection.Scalar(transaction, "SELECT 1 FROM documents WHERE id = $id", ("$id", docId)) is null)
        {
            return null;
        }

        return (long)connection.Scalar(
            transaction,
            """
            SELECT MAX(COALESCE((SELECT MAX(seq) FROM update_log WHERE doc_id = $id), 0),
                       COALESCE((SELECT upto_seq FROM doc_snapshots WHERE doc_id = $id), 0))
            """,
            ("$id", docId))!;
    }

    private static void SetName(SqliteConnection connection, SqliteTransaction transaction, string id, NameVersion version) =>
        connection.Execute(
            transaction,
            "UPDATE documents SET name = $name, name_changed_ms = $changed, name_changed_by = $by WHERE id = $id",
            ("$id", id),
            ("$name", version.Name),
            ("$changed", version.ChangedMs),
            ("$by", version.ChangedBy));

    private DocumentInfo CreateIn(string name, byte[]? spaceId, DeviceId createdBy)
    {
        DocumentNames.Validate(name);
        var by = NameAuthors.Of(createdBy);
        var now = NowMs();
        var id = DocumentIds.New();
        transactions.Write((connection, transaction) =>
        {
            if (spaceId is not null)
            {
                SpaceRepository.RequireSpace(connection, transaction, spaceId);
            }

            return connection.Execute(
                transaction,
                "INSERT INTO documents (id, name, created, name_changed_ms, name_changed_by, space_id) VALUES ($id, $name, $now, $now, $by, $space)",
                ("$id", id),
                ("$name", name),
                ("$now", now),
                ("$by", by),
                ("$space", spaceId));
        });
        return new DocumentInfo(id, name, now, now, by, 0, 0) { SpaceId = spaceId };
    }

    private static void RequireDocument(SqliteConnection connection, SqliteTransaction transaction, string docId)
    {
        if (connection.Scalar(transaction, "SELECT 1 FROM documents WHERE id = $id", ("$id", docId)) is null)
        {
            throw new DocumentNotFoundException(docId);
        }
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A document's stored pieces, read in one transaction.</summary>
    private sealed record StoredState(byte[]? Snapshot, long SnapshotSeq, List<(long Seq, byte[] Update)> Log)
    {
        public long HeadSeq => Log.Count > 0 ? Log[^1].Seq : SnapshotSeq;
    }
}
