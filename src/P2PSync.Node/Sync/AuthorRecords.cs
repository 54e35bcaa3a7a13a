using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Sync;

/// <summary>
/// One author's records of one document, for <see cref="RecordSet"/>: seqs 1..n without a gap in
/// a list (index = seq - 1), and records that arrived ahead of a gap in a sorted side table until
/// the gap fills.
/// </summary>
internal sealed class AuthorRecords(DeviceId author)
{
    private readonly List<SignedRecord> _contiguous = [];

    // Usually empty; sorted so that filling a gap drains it in order and Beyond lists it in order.
    private SortedDictionary<ulong, SignedRecord>? _waiting;
    private ulong _highestWaiting;

    public DeviceId Author { get; } = author;

    /// <summary>The highest seq held without a gap (0 when none).</summary>
    public ulong ContiguousSeq => (ulong)_contiguous.Count;

    /// <summary>The highest seq held at all, gap or not.</summary>
    public ulong HighestSeq => Math.Max(ContiguousSeq, _highestWaiting);

    public int WaitingCount => _waiting?.Count ?? 0;

    public SignedRecord? Find(ulong seq)
    {
        if (seq >= 1 && seq <= ContiguousSeq)
        {
            return _contiguous[(int)(seq - 1)];
        }

        return _waiting is not null && _waiting.TryGetValue(seq, out var record) ? record : null;
    }

    /// <summary>Adds a record whose seq is not held yet.</summary>
    public void Add(SignedRecord record)
    {
        if (record.Seq == 0)
        {
            throw new ArgumentException("Record seqs start at 1.", nameof(record));
        }

        if (record.Seq != ContiguousSeq + 1)
        {
            (_waiting ??= []).Add(record.Seq, record);
            _highestWaiting = Math.Max(_highestWaiting, record.Seq);
            return;
        }

        _contiguous.Add(record);
        while (_waiting is { Count: > 0 } && _waiting.Remove(ContiguousSeq + 1, out var next))
        {
            _contiguous.Add(next);
        }
    }

    /// <summary>Appends every record past <paramref name="remoteSeq"/>: the contiguous run, then the waiting ones above it.</summary>
    public void AppendBeyond(ulong remoteSeq, List<SignedRecord> output)
    {
        for (var seq = remoteSeq; seq < ContiguousSeq; seq++)
        {
            output.Add(_contiguous[(int)seq]);
        }

        if (_waiting is null)
        {
            return;
        }

        foreach (var (seq, record) in _waiting)
        {
            if (seq > remoteSeq)
            {
                output.Add(record);
            }
        }
    }
}
