using P2PSync.Crdt;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>The sync sessions' view of the node's documents: the live <see cref="DocumentHub"/>.</summary>
internal sealed class HubSyncSource : ISyncDocumentSource
{
    private readonly DocumentHub _hub;

    public HubSyncSource(DocumentHub hub)
    {
        _hub = hub;
    }

    public IReadOnlyList<SyncDocument> ListDocuments() => _hub.List().Select(ToSync).ToList();

    public SyncDocument? FindDocument(string docId) => _hub.Get(docId) is { } record ? ToSync(record) : null;

    public byte[] EncodeStateVector(string docId) => _hub.Read(docId, Y.EncodeStateVector);

    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> remoteStateVector) =>
        _hub.EncodeDiff(docId, remoteStateVector);

    public byte[]? ApplyRemoteUpdate(string docId, byte[] update, DeviceId from) =>
        _hub.ApplyUpdate(docId, update, new PeerOrigin(from));

    public void AdoptDocument(SyncDocument announced, DeviceId from) =>
        _hub.Accept(
            new DocumentRecord(announced.Id, announced.Name, announced.CreatedMs, announced.NameStamp.ChangedMs, announced.NameStamp.ChangedBy ?? ""),
            new PeerOrigin(from));

    public void RenameDocument(string docId, string name, NameStamp stamp)
    {
        if (_hub.Get(docId) is { } known)
        {
            // The session already picked this stamp as the winner; the store checks it again with
            // the same rule (NameVersion), so it agrees and records the renaming device as well.
            _hub.Accept(known with { Name = name, NameChangedMs = stamp.ChangedMs, NameChangedBy = stamp.ChangedBy ?? "" }, this);
        }
    }

    /// <summary>The record as the sync protocol announces it, with the stored name stamp (time and renaming device).</summary>
    public static SyncDocument ToSync(DocumentRecord record) =>
        new(record.Id, record.Name, record.CreatedMs, new NameStamp(record.NameChangedMs, record.NameChangedBy));
}
