using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// A node's documents held as plain in-memory Docs: the simulation's stand-in for the SQLite
/// store. "Durable" is trivially true. Client ids and document ids come from the seeded random.
/// </summary>
internal sealed class MemoryDocumentSource : ISyncDocumentSource
{
    private readonly Random _random;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Entry> _docs = new(StringComparer.Ordinal);

    public MemoryDocumentSource(Random random)
    {
        _random = random;
    }

    public IEnumerable<string> DocIds => _order;

    public Doc Doc(string docId) => _docs[docId].Doc;

    public IReadOnlyList<SyncDocument> ListDocuments() => _order.Select(id => _docs[id].Info).ToList();

    public SyncDocument? FindDocument(string docId) => _docs.GetValueOrDefault(docId)?.Info;

    public byte[] EncodeStateVector(string docId) => Y.EncodeStateVector(Doc(docId));

    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> remoteStateVector) =>
        Y.EncodeStateAsUpdate(Doc(docId), remoteStateVector);

    public byte[]? ApplyRemoteUpdate(string docId, byte[] update, DeviceId from)
    {
        var doc = Doc(docId);
        var changes = new List<byte[]>();
        void OnUpdate(object? sender, UpdateEventArgs e) => changes.Add(e.Update);
        doc.Update += OnUpdate;
        try
        {
            Y.ApplyUpdate(doc, update, from);
        }
        finally
        {
            doc.Update -= OnUpdate;
        }

        return changes.Count switch
        {
            0 => null,
            1 => changes[0],
            _ => Y.MergeUpdates(changes),
        };
    }

    public void AdoptDocument(SyncDocument announced, DeviceId from)
    {
        if (_docs.ContainsKey(announced.Id))
        {
            throw new InvalidOperationException($"{announced.Id} already exists");
        }

        Add(announced);
    }

    public void RenameDocument(string docId, string name, NameStamp stamp)
    {
        var entry = _docs[docId];
        entry.Info = entry.Info with { Name = name, NameStamp = stamp };
    }

    /// <summary>A local "doc new": a fresh id from the seeded random.</summary>
    public SyncDocument Create(string name, long nowMs, DeviceId self)
    {
        var idBytes = new byte[16];
        _random.NextBytes(idBytes);
        var info = new SyncDocument(Convert.ToHexStringLower(idBytes), name, nowMs, new NameStamp(nowMs, self.ToString()));
        Add(info);
        return info;
    }

    /// <summary>A local rename, stamped by the hybrid clock.</summary>
    public SyncDocument Rename(string docId, string name, long nowMs, DeviceId self)
    {
        var entry = _docs[docId];
        entry.Info = entry.Info with { Name = name, NameStamp = NameStamp.Next(entry.Info.NameStamp, nowMs, self) };
        return entry.Info;
    }

    /// <summary>A local edit in one transaction; returns its update, or null if nothing changed.</summary>
    public byte[]? Edit(string docId, Action<Doc> edit)
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

        return result;
    }

    private void Add(SyncDocument info)
    {
        var doc = new Doc(new DocOptions { ClientId = (ulong)_random.NextInt64(1, 1L << 32) });
        _docs.Add(info.Id, new Entry(info, doc));
        _order.Add(info.Id);
    }

    private sealed class Entry(SyncDocument info, Doc doc)
    {
        public SyncDocument Info { get; set; } = info;

        public Doc Doc { get; } = doc;
    }
}
