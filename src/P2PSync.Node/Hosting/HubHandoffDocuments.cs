using P2PSync.Crdt;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>The handoff engine's view of the node's documents: the live <see cref="DocumentHub"/>.</summary>
internal sealed class HubHandoffDocuments : IHandoffDocuments
{
    private readonly DocumentHub _hub;

    public HubHandoffDocuments(DocumentHub hub)
    {
        _hub = hub;
    }

    public byte[]? StateVector(string docId) =>
        _hub.Get(docId) is null ? null : _hub.Read(docId, Y.EncodeStateVector);

    /// <remarks>An empty state vector reuses the hub's cached full state: a device that lacks the document costs no extra encoding.</remarks>
    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> stateVector) => _hub.EncodeDiff(docId, stateVector);

    public DocAnnounce? Record(string docId) => _hub.Get(docId) is { } record
        ? new DocAnnounce
        {
            DocId = record.Id,
            Name = record.Name,
            CreatedMs = record.CreatedMs,
            NameChangedMs = record.NameChangedMs,
            NameChangedBy = record.NameChangedBy,
        }
        : null;

    /// <exception cref="Storage.InvalidStoreInputException">The id or name breaks the store's rules; nothing was created.</exception>
    public void Adopt(DocAnnounce record, DeviceId from) =>
        _hub.Accept(new DocumentRecord(record.DocId, record.Name, record.CreatedMs, record.NameChangedMs, record.NameChangedBy), new HandoffOrigin(from));

    /// <remarks>
    /// <see cref="DocumentHub.ApplyUpdate"/> validates the whole update before it touches the
    /// document, then stores it as one log entry: a broken transfer leaves the document as it was.
    /// </remarks>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="UpdateFormatException">The bytes are not a valid update; nothing changed.</exception>
    public void Apply(string docId, byte[] update, DeviceId from) => _hub.ApplyUpdate(docId, update, new HandoffOrigin(from));

    public int? ResolveIndex(string docId, byte[] relativePosition) =>
        _hub.Get(docId) is null ? null : _hub.Read(docId, doc => ActivityPositions.ToIndex(doc, relativePosition));
}
