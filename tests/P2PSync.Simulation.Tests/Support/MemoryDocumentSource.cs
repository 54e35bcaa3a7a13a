using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// A node's documents held as plain in-memory Docs with their signed records: the simulation's
/// stand-in for the SQLite store. Records from peers go through the node's own checks
/// (<see cref="RecordGate"/> against the space's log, then <see cref="RecordSet"/>), so a refusal
/// here is a refusal in the node. Local edits are signed with the node's real device key.
/// "Durable" is trivially true. Client ids and document ids come from the seeded random.
/// </summary>
internal sealed class MemoryDocumentSource : ISyncDocumentSource
{
    private readonly Random _random;
    private readonly DeviceKey _self;
    private readonly MemorySpaceSource _spaces;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Entry> _docs = new(StringComparer.Ordinal);

    public MemoryDocumentSource(Random random, DeviceKey self, MemorySpaceSource spaces)
    {
        _random = random;
        _self = self;
        _spaces = spaces;
    }

    public IEnumerable<string> DocIds => _order;

    /// <summary>Every refusal line this source produced, for assertions.</summary>
    public List<string> Refusals { get; } = [];

    public Doc Doc(string docId) => _docs[docId].Doc;

    public RecordSet Records(string docId) => _docs[docId].Records;

    public IReadOnlyList<SyncDocument> ListDocuments()
    {
        var list = new List<SyncDocument>(_order.Count);
        foreach (var id in _order)
        {
            list.Add(_docs[id].Info);
        }

        return list;
    }

    public SyncDocument? FindDocument(string docId) => _docs.GetValueOrDefault(docId)?.Info;

    public RecordVector RecordVector(string docId) => _docs[docId].Records.Vector;

    public IReadOnlyList<byte[]> RecordsBeyond(string docId, RecordVector remote)
    {
        var records = _docs[docId].Records.Beyond(remote);
        var encoded = new byte[records.Count][];
        for (var i = 0; i < records.Count; i++)
        {
            encoded[i] = records[i].Encoded;
        }

        return encoded;
    }

    public RecordIntake ApplyRemoteRecords(string docId, IReadOnlyList<byte[]> records, DeviceId from)
    {
        var entry = _docs[docId];
        var accepted = new List<byte[]>();
        var refusals = new List<string>();
        foreach (var bytes in records)
        {
            var record = SignedRecordCodec.Decode(bytes);

            // In a mesh every record arrives once per neighbour: the exact bytes we already hold
            // were checked when they came first, so they are skipped before the signature check.
            var held = entry.Records.Find(record.Author, record.Seq);
            if (held is not null && held.Encoded.AsSpan().SequenceEqual(bytes))
            {
                continue;
            }

            var refusal = RecordGate.Check(record, docId, entry.Info.Space, _spaces.Directory.Find(entry.Info.Space)?.Log);
            if (refusal is { } why)
            {
                refusals.Add(RecordGate.Describe(record, why, from));
                continue;
            }

            if (held is not null)
            {
                if (!held.Hash.SequenceEqual(record.Hash))
                {
                    refusals.Add($"Refused {record} from {from.ToShortString()}: another record holds its seq (the author signed two histories).");
                }

                continue;
            }

            if (!TryApply(entry.Doc, record, from, refusals))
            {
                continue;
            }

            entry.Records.Add(record);
            accepted.Add(bytes);
        }

        Refusals.AddRange(refusals);
        return new RecordIntake(accepted, refusals);
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

    /// <summary>A local "doc new" in <paramref name="space"/>: a fresh id from the seeded random.</summary>
    public SyncDocument Create(string name, long nowMs, SpaceId space)
    {
        var idBytes = new byte[16];
        _random.NextBytes(idBytes);
        var info = new SyncDocument(Convert.ToHexStringLower(idBytes), name, nowMs, new NameStamp(nowMs, _self.Id.ToString()), space);
        Add(info);
        return info;
    }

    /// <summary>A local rename, stamped by the hybrid clock.</summary>
    public SyncDocument Rename(string docId, string name, long nowMs)
    {
        var entry = _docs[docId];
        entry.Info = entry.Info with { Name = name, NameStamp = NameStamp.Next(entry.Info.NameStamp, nowMs, _self.Id) };
        return entry.Info;
    }

    /// <summary>
    /// A local edit in one transaction, signed as this node's next record of the document (even
    /// when this node is only a viewer: tests use that to play a misbehaving device). Returns the
    /// encoded record, or null if nothing changed.
    /// </summary>
    public byte[]? Edit(string docId, Action<Doc> edit)
    {
        var entry = _docs[docId];
        byte[]? update = null;
        void OnUpdate(object? sender, UpdateEventArgs e) => update = e.Update;
        entry.Doc.Update += OnUpdate;
        try
        {
            entry.Doc.Transact(_ => edit(entry.Doc));
        }
        finally
        {
            entry.Doc.Update -= OnUpdate;
        }

        if (update is null)
        {
            return null;
        }

        var record = SignedRecord.Create(_self, entry.Info.Space, docId, entry.Records.NextSeq(_self.Id), [update]);
        entry.Records.Add(record);
        return record.Encoded;
    }

    // Applies the record's updates as one change, or refuses it when an update is not a valid
    // Yjs update (signed by a member, so the relay is not to blame: a refusal, not a protocol error).
    private static bool TryApply(Doc doc, SignedRecord record, DeviceId from, List<string> refusals)
    {
        try
        {
            if (record.Updates.Count == 1)
            {
                Y.ApplyUpdate(doc, record.Updates[0], from);
            }
            else
            {
                var updates = new List<byte[]>(record.Updates.Count);
                foreach (var update in record.Updates)
                {
                    updates.Add(update.ToArray());
                }

                Y.ApplyUpdate(doc, Y.MergeUpdates(updates), from);
            }

            return true;
        }
        catch (UpdateFormatException ex)
        {
            refusals.Add($"Refused {record} from {from.ToShortString()}: its update is malformed ({ex.Message}).");
            return false;
        }
    }

    private void Add(SyncDocument info)
    {
        var doc = new Doc(new DocOptions { ClientId = (ulong)_random.NextInt64(1, 1L << 32) });
        _docs.Add(info.Id, new Entry(info, doc, new RecordSet(info.Id)));
        _order.Add(info.Id);
    }

    private sealed class Entry(SyncDocument info, Doc doc, RecordSet records)
    {
        public SyncDocument Info { get; set; } = info;

        public Doc Doc { get; } = doc;

        public RecordSet Records { get; } = records;
    }
}
