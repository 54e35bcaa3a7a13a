using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Sync;

/// <summary>
/// One document's signed records in memory, per author in seq order: what catch-up answers
/// from and what the document's <see cref="RecordVector"/> describes. Checks no signature or
/// membership (that is <see cref="RecordGate"/>'s job, before <see cref="Add"/>).
/// </summary>
/// <remarks>
/// On the hot path (every record written or received passes <see cref="Add"/>; every catch-up
/// runs <see cref="Beyond"/>): an author's contiguous records live in a list indexed by seq - 1, so
/// Add is amortised O(1) and Beyond is a slice per author. A record that arrives ahead of a
/// gap (relays can deliver seq 5 before seq 4) waits in a small per-author side table and is
/// counted into the vector once the gap fills. Not thread-safe.
/// </remarks>
internal sealed class RecordSet
{
    private readonly Dictionary<DeviceId, AuthorRecords> _byAuthor = [];

    // First-seen order of authors: Beyond lists authors in a stable order without sorting.
    private readonly List<AuthorRecords> _authors = [];
    private RecordVector? _vector;

    public RecordSet(string docId)
    {
        ArgumentException.ThrowIfNullOrEmpty(docId);
        DocId = docId;
    }

    public string DocId { get; }

    /// <summary>How many records the set holds, including those waiting behind a gap.</summary>
    public int Count { get; private set; }

    /// <summary>Records held beyond a gap (not yet in <see cref="Vector"/>).</summary>
    public int WaitingCount { get; private set; }

    /// <summary>Per author the highest seq held without a gap. Cached until the next change.</summary>
    public RecordVector Vector => _vector ??= BuildVector();

    /// <summary>Adds a record of this document.</summary>
    /// <exception cref="ArgumentException">The record is for another document.</exception>
    public RecordAddResult Add(SignedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!string.Equals(record.DocId, DocId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{record} does not belong to document {DocId}.", nameof(record));
        }

        if (!_byAuthor.TryGetValue(record.Author, out var author))
        {
            author = new AuthorRecords(record.Author);
            _byAuthor.Add(record.Author, author);
            _authors.Add(author);
        }

        var existing = author.Find(record.Seq);
        if (existing is not null)
        {
            // Byte equality first: it is the common case (a record relayed by several peers) and
            // costs a compare, not two hashes. Equal hashes = same signed bytes = the same record.
            var same = ReferenceEquals(existing, record)
                || existing.Encoded.AsSpan().SequenceEqual(record.Encoded)
                || existing.Hash.SequenceEqual(record.Hash);
            return same ? RecordAddResult.Duplicate : RecordAddResult.Conflict;
        }

        var waitingBefore = author.WaitingCount;
        author.Add(record);
        Count++;
        WaitingCount += author.WaitingCount - waitingBefore;
        _vector = null;
        return RecordAddResult.Added;
    }

    /// <summary>The record the set holds at (author, seq), or null.</summary>
    public SignedRecord? Find(DeviceId author, ulong seq) =>
        _byAuthor.TryGetValue(author, out var records) ? records.Find(seq) : null;

    /// <summary>The seq the author's next record gets: one past the highest it has here (1 when none).</summary>
    public ulong NextSeq(DeviceId author) =>
        _byAuthor.TryGetValue(author, out var records) ? records.HighestSeq + 1 : 1;

    /// <summary>
    /// Every record a replica with <paramref name="remote"/> lacks: per author (in first-seen
    /// order) the contiguous records beyond its seq in seq order, then those waiting behind a gap.
    /// </summary>
    public IReadOnlyList<SignedRecord> Beyond(RecordVector remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var result = new List<SignedRecord>();
        foreach (var author in _authors)
        {
            author.AppendBeyond(remote.SeqOf(author.Author), result);
        }

        return result;
    }

    private RecordVector BuildVector()
    {
        var seqs = new List<KeyValuePair<DeviceId, ulong>>(_authors.Count);
        foreach (var author in _authors)
        {
            seqs.Add(new(author.Author, author.ContiguousSeq));
        }

        return new RecordVector(seqs);
    }
}
