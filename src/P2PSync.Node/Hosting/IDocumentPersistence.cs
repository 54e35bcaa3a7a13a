using P2PSync.Crdt.Core;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Where <see cref="DocumentHub"/> keeps documents durably. The node uses the SQLite document
/// repository; the seam exists so the hub's locking and relaying rules do not depend on SQL.
/// The hub serializes its calls, except that <see cref="AppendBatch"/> runs on the hub's
/// <see cref="WriteBehindLog"/> task at the same time as the others: implementations must allow that.
/// </summary>
internal interface IDocumentPersistence
{
    /// <summary>Creates a new, empty document in a space.</summary>
    DocumentRecord Create(string name, SpaceId space);

    /// <summary>
    /// Takes in a document a peer announced: created under the peer's id when new, renamed when
    /// the peer's name was set later. Returns the stored record and whether anything changed.
    /// </summary>
    (DocumentRecord Record, bool Changed) Accept(DocumentRecord announced);

    /// <summary>Renames a document here; the new name wins over older names from peers.</summary>
    DocumentRecord Rename(string id, string name);

    /// <summary>Every document, oldest first.</summary>
    IReadOnlyList<DocumentRecord> List();

    /// <summary>The document with this id, or null.</summary>
    DocumentRecord? Get(string id);

    /// <summary>Appends a v1 update to the document's log; committed (durable) before it returns. Returns its log seq.</summary>
    long AppendUpdate(string docId, byte[] update, string origin);

    /// <summary>
    /// Group commit: appends several updates (any documents, each with its origin) in one durable
    /// commit, in order. Returns each touched document's new head seq. Every update was applied to
    /// the hub's live Doc first, which validated all of it, so implementations need not decode it
    /// again. The default appends them one by one, for stores without transactions.
    /// </summary>
    IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] Update, string Origin)> entries)
    {
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (docId, update, origin) in entries)
        {
            heads[docId] = AppendUpdate(docId, update, origin);
        }

        return heads;
    }

    /// <summary>
    /// Group commit with signed records: the updates and the record rows commit in ONE transaction
    /// (a record row already held is skipped). Returns each touched document's new head seq.
    /// Stores without records (test doubles of the hub alone) refuse records.
    /// </summary>
    IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] Update, string Origin)> entries, IReadOnlyList<RecordRow> records)
    {
        if (records.Count > 0)
        {
            throw new NotSupportedException("this store keeps no signed records");
        }

        return AppendBatch(entries);
    }

    /// <summary>The document's signed records, by author then seq (none for stores without records).</summary>
    IReadOnlyList<RecordRow> LoadRecords(string docId) => [];

    /// <summary>The seq of the document's newest log entry (0 = none).</summary>
    long HeadSeq(string docId);

    /// <summary>The document's content: snapshot plus log replayed.</summary>
    Doc LoadDoc(string docId);
}
