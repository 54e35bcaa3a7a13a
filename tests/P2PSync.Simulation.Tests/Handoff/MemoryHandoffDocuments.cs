using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>
/// A node's documents as plain in-memory Docs behind <see cref="IHandoffDocuments"/>: the
/// simulation's stand-in for DocumentHub. Counts what the handoff applied so tests can assert
/// that a retry moves only what is missing.
/// </summary>
internal sealed class MemoryHandoffDocuments : IHandoffDocuments
{
    private readonly Random _random;
    private readonly Dictionary<string, (DocAnnounce Record, Doc Doc)> _docs = new(StringComparer.Ordinal);

    public MemoryHandoffDocuments(Random random)
    {
        _random = random;
    }

    /// <summary>Bytes of updates applied through <see cref="Apply"/>, per document.</summary>
    public Dictionary<string, long> AppliedBytes { get; } = new(StringComparer.Ordinal);

    public bool Has(string docId) => _docs.ContainsKey(docId);

    public Doc Doc(string docId) => _docs[docId].Doc;

    public string Text(string docId) => Doc(docId).GetText(ActivityPositions.RootText).ToString();

    public Doc Create(string docId, string name, long createdMs, DeviceId self)
    {
        var record = new DocAnnounce { DocId = docId, Name = name, CreatedMs = createdMs, NameChangedMs = createdMs, NameChangedBy = self.ToString() };
        return Add(record);
    }

    /// <summary>A local edit; returns its update (for the test to deliver to others, as sync would).</summary>
    public byte[] Edit(string docId, Action<Doc> edit)
    {
        var doc = Doc(docId);
        byte[]? result = null;
        void OnUpdate(object? sender, UpdateEventArgs e) => result = e.Update;
        doc.Update += OnUpdate;
        try
        {
            doc.Transact(_ => edit(doc));
        }
        finally
        {
            doc.Update -= OnUpdate;
        }

        return result ?? throw new InvalidOperationException("the edit changed nothing");
    }

    public byte[]? StateVector(string docId) => _docs.TryGetValue(docId, out var entry) ? Y.EncodeStateVector(entry.Doc) : null;

    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> stateVector) => Y.EncodeStateAsUpdate(Doc(docId), stateVector);

    public DocAnnounce? Record(string docId) => _docs.TryGetValue(docId, out var entry) ? entry.Record.Clone() : null;

    public void Adopt(DocAnnounce record, DeviceId from)
    {
        if (_docs.ContainsKey(record.DocId))
        {
            throw new InvalidOperationException($"{record.DocId} already exists");
        }

        Add(record.Clone());
    }

    public void Apply(string docId, byte[] update, DeviceId from)
    {
        // Y.ApplyUpdate validates the whole update before touching the doc (atomic).
        Y.ApplyUpdate(Doc(docId), update, from);
        AppliedBytes[docId] = AppliedBytes.GetValueOrDefault(docId) + update.Length;
    }

    public int? ResolveIndex(string docId, byte[] relativePosition) =>
        _docs.TryGetValue(docId, out var entry) ? ActivityPositions.ToIndex(entry.Doc, relativePosition) : null;

    private Doc Add(DocAnnounce record)
    {
        var doc = new Doc(new DocOptions { ClientId = (ulong)_random.NextInt64(1, 1L << 32) });
        _docs.Add(record.DocId, (record, doc));
        return doc;
    }
}
