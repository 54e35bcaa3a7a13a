using P2PSync.Crdt.Core;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>The hub's durable side over the SQLite <see cref="DocumentRepository"/>.</summary>
internal sealed class StoreDocumentPersistence : IDocumentPersistence
{
    private readonly DocumentRepository _documents;
    private readonly DeviceId _localDevice;

    /// <param name="documents">The store's documents.</param>
    /// <param name="localDevice">
    /// This node's device: local creations and renames are stamped with it, so a same-millisecond
    /// rename on another device is decided the same way here and there. Empty (<c>default</c>)
    /// when the store is used without a device key; such renames lose ties.
    /// </param>
    public StoreDocumentPersistence(DocumentRepository documents, DeviceId localDevice)
    {
        _documents = documents;
        _localDevice = localDevice;
    }

    public DocumentRecord Create(string name, SpaceId space) =>
        ToRecord(space.IsEmpty ? _documents.Create(name, _localDevice) : _documents.Create(name, space.Bytes.ToArray(), _localDevice));

    public (DocumentRecord Record, bool Changed) Accept(DocumentRecord announced)
    {
        var (info, outcome) = announced.Space.IsEmpty
            ? _documents.AcceptAnnounced(announced.Id, announced.Name, announced.CreatedMs, announced.NameChangedMs, announced.NameChangedBy)
            : _documents.AcceptAnnounced(announced.Id, announced.Name, announced.CreatedMs, announced.NameChangedMs, announced.NameChangedBy, announced.Space.Bytes.ToArray());
        return (ToRecord(info), outcome != AnnounceOutcome.Unchanged);
    }

    public DocumentRecord Rename(string id, string name)
    {
        try
        {
            return ToRecord(_documents.Rename(id, name, _localDevice));
        }
        catch (DocumentNotFoundException)
        {
            throw new UnknownDocumentException(id);
        }
    }

    public IReadOnlyList<DocumentRecord> List() => _documents.List().Select(ToRecord).ToList();

    public DocumentRecord? Get(string id)
    {
        try
        {
            return _documents.Get(id) is { } info ? ToRecord(info) : null;
        }
        catch (InvalidStoreInputException)
        {
            // An id that could never have been issued names no document.
            return null;
        }
    }

    public long AppendUpdate(string docId, byte[] update, string origin) => _documents.AppendUpdate(docId, update, origin);

    public IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] Update, string Origin)> entries) =>
        _documents.AppendBatch([.. entries.Select(entry => (entry.DocId, entry.Update, (string?)entry.Origin))], appliedByCaller: true);

    public IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] Update, string Origin)> entries, IReadOnlyList<RecordRow> records) =>
        _documents.AppendBatch([.. entries.Select(entry => (entry.DocId, entry.Update, (string?)entry.Origin))], records, appliedByCaller: true);

    public IReadOnlyList<RecordRow> LoadRecords(string docId) => _documents.LoadRecords(docId);

    public long HeadSeq(string docId) => _documents.Get(docId)?.HeadSeq ?? 0;

    public Doc LoadDoc(string docId) => _documents.LoadDoc(docId);

    private static DocumentRecord ToRecord(DocumentInfo info) =>
        new(info.Id, info.Name, info.CreatedMs, info.NameChangedMs, info.NameChangedBy, info.SpaceId is { } space ? SpaceId.FromBytes(space) : default);
}
