using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Sync;

/// <summary>
/// The documents a <see cref="PeerSyncSession"/> synchronises. The node implements it over its
/// store; simulation tests over plain in-memory Docs. Calls come from one session at a time
/// (the host serialises them); every mutating call must be durable before it returns, because
/// the session tells the peer and other peers about the change right after.
/// </summary>
internal interface ISyncDocumentSource
{
    /// <summary>Every document, in a stable order (the order they are announced in).</summary>
    IReadOnlyList<SyncDocument> ListDocuments();

    /// <summary>The document with this id, or null.</summary>
    SyncDocument? FindDocument(string docId);

    /// <summary>The document's encoded state vector (v1).</summary>
    byte[] EncodeStateVector(string docId);

    /// <summary>
    /// What a replica with <paramref name="remoteStateVector"/> lacks, as a v1 update
    /// (<c>Y.EncodeStateAsUpdate(doc, sv)</c>).
    /// </summary>
    /// <exception cref="P2PSync.Crdt.UpdateFormatException">The state vector is malformed.</exception>
    byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> remoteStateVector);

    /// <summary>
    /// Applies a v1 update received from <paramref name="from"/> and stores it durably (including
    /// structs that wait for missing dependencies). Returns the change the document actually
    /// underwent, as a v1 update to relay to other peers, or null when it did not change: a
    /// duplicate, or structs that are only pending. Returning null for those is what stops
    /// updates from circling forever in a mesh; once the dependencies arrive the document changes
    /// and the returned update carries the formerly pending structs too.
    /// </summary>
    /// <exception cref="P2PSync.Crdt.UpdateFormatException">The update is malformed; nothing changed.</exception>
    byte[]? ApplyRemoteUpdate(string docId, byte[] update, DeviceId from);

    /// <summary>Records a document first heard of from <paramref name="from"/>, with its id, name and stamp; empty content.</summary>
    void AdoptDocument(SyncDocument announced, DeviceId from);

    /// <summary>Sets the document's name and stamp (the session already decided that the stamp wins).</summary>
    void RenameDocument(string docId, string name, NameStamp stamp);
}
