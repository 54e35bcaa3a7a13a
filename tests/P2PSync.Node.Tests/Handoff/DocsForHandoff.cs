using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>In-memory documents for engine unit tests (fixed client ids: no randomness needed).</summary>
internal sealed class DocsForHandoff : IHandoffDocuments
{
    private readonly Dictionary<string, (DocAnnounce Record, Doc Doc)> _docs = new(StringComparer.Ordinal);
    private ulong _nextClient = 1;

    public Doc Add(string docId, string text)
    {
        var doc = new Doc(new DocOptions { ClientId = _nextClient++ });
        doc.GetText("text").Insert(0, text);
        _docs.Add(docId, (new DocAnnounce { DocId = docId, Name = "Doc " + docId }, doc));
        return doc;
    }

    public bool Has(string docId) => _docs.ContainsKey(docId);

    public byte[]? StateVector(string docId) => _docs.TryGetValue(docId, out var e) ? Y.EncodeStateVector(e.Doc) : null;

    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> stateVector) => Y.EncodeStateAsUpdate(_docs[docId].Doc, stateVector);

    public DocAnnounce? Record(string docId) => _docs.TryGetValue(docId, out var e) ? e.Record.Clone() : null;

    public void Adopt(DocAnnounce record, DeviceId from) =>
        _docs.Add(record.DocId, (record.Clone(), new Doc(new DocOptions { ClientId = _nextClient++ })));

    public void Apply(string docId, byte[] update, DeviceId from) => Y.ApplyUpdate(_docs[docId].Doc, update, from);

    public int? ResolveIndex(string docId, byte[] relativePosition) =>
        _docs.TryGetValue(docId, out var e) ? ActivityPositions.ToIndex(e.Doc, relativePosition) : null;
}
