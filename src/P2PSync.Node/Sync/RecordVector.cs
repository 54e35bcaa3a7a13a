using Google.Protobuf;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Sync;

/// <summary>
/// What a replica holds of one document's signed records: for each author, the highest sequence
/// number up to which it holds every record (1..n without a gap). Immutable. Authors without
/// records are absent (seq 0). The wire form is <see cref="Protocol.Wire.RecordVector"/>
/// (docs/protocol/spaces-sync.md).
/// </summary>
internal sealed class RecordVector
{
    private readonly Dictionary<DeviceId, ulong> _seqs;

    /// <param name="seqs">Author to contiguous seq; entries with seq 0 are dropped.</param>
    public RecordVector(IEnumerable<KeyValuePair<DeviceId, ulong>> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        _seqs = [];
        foreach (var (author, seq) in seqs)
        {
            if (author.IsEmpty)
            {
                throw new ArgumentException("A record vector cannot name the empty device.", nameof(seqs));
            }

            if (seq > 0)
            {
                _seqs[author] = seq;
            }
        }
    }

    /// <summary>The vector of a replica that holds no records.</summary>
    public static RecordVector Empty { get; } = new([]);

    /// <summary>Authors with at least one record, and their contiguous seq.</summary>
    public IReadOnlyDictionary<DeviceId, ulong> Seqs => _seqs;

    /// <summary>The author's contiguous seq: 0 when the replica holds none of its records.</summary>
    public ulong SeqOf(DeviceId author) => _seqs.GetValueOrDefault(author);

    /// <summary>True when the replica holds the author's record <paramref name="seq"/> (and every one before it).</summary>
    public bool Covers(DeviceId author, ulong seq) => seq <= SeqOf(author);

    /// <summary>True when this replica holds everything <paramref name="other"/> describes.</summary>
    public bool CoversAll(RecordVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (author, seq) in other._seqs)
        {
            if (!Covers(author, seq))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The wire form for <paramref name="docId"/>. Authors are sorted by key bytes so the same
    /// vector always encodes to the same bytes (tests and logs compare them).
    /// </summary>
    public Protocol.Wire.RecordVector ToProto(string docId)
    {
        ArgumentNullException.ThrowIfNull(docId);
        var authors = new List<DeviceId>(_seqs.Keys);
        authors.Sort(static (a, b) => a.PublicKey.Span.SequenceCompareTo(b.PublicKey.Span));
        var proto = new Protocol.Wire.RecordVector { DocId = docId };
        foreach (var author in authors)
        {
            proto.Entries.Add(new Protocol.Wire.AuthorSeq { Author = ByteString.CopyFrom(author.PublicKey.Span), Seq = _seqs[author] });
        }

        return proto;
    }

    /// <summary>The vector a peer sent (already checked by the envelope validator).</summary>
    /// <exception cref="FormatException">An author is not 32 bytes, appears twice, or has seq 0 (the validator lets none through).</exception>
    public static RecordVector FromProto(Protocol.Wire.RecordVector proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var seqs = new Dictionary<DeviceId, ulong>(proto.Entries.Count);
        foreach (var entry in proto.Entries)
        {
            if (entry.Author.Length != DeviceId.KeyLength || entry.Seq == 0)
            {
                throw new FormatException($"record vector for {proto.DocId} has a malformed entry");
            }

            if (!seqs.TryAdd(DeviceId.FromPublicKey(entry.Author.Span), entry.Seq))
            {
                throw new FormatException($"record vector for {proto.DocId} names an author twice");
            }
        }

        return new RecordVector(seqs);
    }

    public override string ToString()
    {
        var parts = new List<string>(_seqs.Count);
        foreach (var (author, seq) in _seqs)
        {
            parts.Add($"{author.ToShortString()}:{seq}");
        }

        parts.Sort(StringComparer.Ordinal);
        return "{" + string.Join(", ", parts) + "}";
    }
}
