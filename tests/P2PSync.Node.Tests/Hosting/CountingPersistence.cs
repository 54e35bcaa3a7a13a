using P2PSync.Crdt.Core;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>Forwards to a real persistence and counts commits, to prove group commit happens.</summary>
internal sealed class CountingPersistence : IDocumentPersistence
{
    private readonly IDocumentPersistence _inner;

    public CountingPersistence(IDocumentPersistence inner)
    {
        _inner = inner;
    }

    /// <summary>Store transactions that appended updates (single appends and batches alike).</summary>
    public int Commits { get; private set; }

    public DocumentRecord Create(string name, P2PSync.Node.Security.Spaces.SpaceId space) => _inner.Create(name, space);

    public (DocumentRecord Record, bool Changed) Accept(DocumentRecord announced) => _inner.Accept(announced);

    public DocumentRecord Rename(string id, string name) => _inner.Rename(id, name);

    public IReadOnlyList<DocumentRecord> List() => _inner.List();

    public DocumentRecord? Get(string id) => _inner.Get(id);

    public long AppendUpdate(string docId, byte[] update, string origin)
    {
        Commits++;
        return _inner.AppendUpdate(docId, update, origin);
    }

    public IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] Update, string Origin)> entries)
    {
        Commits++;
        return _inner.AppendBatch(entries);
    }

    public long HeadSeq(string docId) => _inner.HeadSeq(docId);

    public Doc LoadDoc(string docId) => _inner.LoadDoc(docId);
}
