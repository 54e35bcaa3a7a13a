using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Sync;

/// <summary>
/// The documents a <see cref="PeerSyncSession"/> synchronises, as signed records. The node
/// implements it over its store; simulation tests over in-memory Docs. Both must run the same
/// checks on records from peers (<see cref="Security.Spaces.RecordGate"/>, then
/// <see cref="RecordSet"/>), so a refusal in a simulation is a refusal in the node. Calls come
/// from one session at a time (the host serialises them); every mutating call must be durable
/// before it returns, because the session tells the peer and other peers about it right after.
/// </summary>
internal interface ISyncDocumentSource
{
    /// <summary>Every document, in a stable order (the order they are announced in).</summary>
    IReadOnlyList<SyncDocument> ListDocuments();

    /// <summary>The document with this id, or null.</summary>
    SyncDocument? FindDocument(string docId);

    /// <summary>Per author, the highest seq up to which this replica holds every record of the document.</summary>
    RecordVector RecordVector(string docId);

    /// <summary>
    /// The encoded records of the document a replica with <paramref name="remote"/> lacks, per
    /// author in seq order (<see cref="RecordSet.Beyond"/>).
    /// </summary>
    IReadOnlyList<byte[]> RecordsBeyond(string docId, RecordVector remote);

    /// <summary>
    /// Checks, stores and applies records of the document received from <paramref name="from"/>:
    /// each is decoded, passed through <see cref="Security.Spaces.RecordGate"/> against the
    /// document's space and our membership log, and added to the document's records; the new ones
    /// are stored durably and their updates applied. Refused records are neither stored nor
    /// applied, and are reported, not thrown: a relay may not have heard of a removal yet.
    /// </summary>
    /// <exception cref="Security.Spaces.RecordFormatException">
    /// A record's bytes are not a signed record (no well-behaved peer sends that). Records before
    /// it in the batch may have been accepted; nothing after it was looked at.
    /// </exception>
    RecordIntake ApplyRemoteRecords(string docId, IReadOnlyList<byte[]> records, DeviceId from);

    /// <summary>Records a document first heard of from <paramref name="from"/>, with its id, name, stamp and space; no records yet.</summary>
    void AdoptDocument(SyncDocument announced, DeviceId from);

    /// <summary>Sets the document's name and stamp (the session already decided that the stamp wins).</summary>
    void RenameDocument(string docId, string name, NameStamp stamp);
}
