using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Sync;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The signed records of the hub's documents: each document's <see cref="RecordSet"/> (what peers
/// are served from, loaded from the store on first use) and the signing of local changes. Not
/// thread-safe: <see cref="DocumentHub"/> calls it under its lock only.
/// </summary>
internal sealed class DocumentRecordBook
{
    private readonly IDocumentPersistence _persistence;
    private readonly RecordSigning? _signing;
    private readonly Dictionary<string, RecordSet> _sets = new(StringComparer.Ordinal);

    /// <param name="signing">How local changes are signed; null = never (a hub used alone).</param>
    public DocumentRecordBook(IDocumentPersistence persistence, RecordSigning? signing)
    {
        _persistence = persistence;
        _signing = signing;
    }

    /// <summary>The document's records, loaded from the store on first use.</summary>
    public RecordSet Of(string docId)
    {
        if (_sets.TryGetValue(docId, out var set))
        {
            return set;
        }

        set = new RecordSet(docId);
        foreach (var row in _persistence.LoadRecords(docId))
        {
            set.Add(SignedRecordCodec.Decode(row.Record));
        }

        _sets.Add(docId, set);
        return set;
    }

    /// <summary>Signs updates of a document as this device's next record and takes it into the document's set.</summary>
    /// <exception cref="InvalidOperationException">This book does not sign.</exception>
    public (SignedRecord Record, RecordRow Row) Sign(string docId, SpaceId space, IReadOnlyList<byte[]> updates)
    {
        var signing = _signing ?? throw new InvalidOperationException("this hub does not sign");
        var set = Of(docId);
        var seq = Math.Max(set.NextSeq(signing.Key.Id), signing.SeqFloor(docId));
        var record = SignedRecord.Create(signing.Key, space, docId, seq, updates);
        set.Add(record);
        return (record, new RecordRow(docId, record.Author.PublicKey.ToArray(), record.Seq, record.Encoded));
    }

    /// <summary>
    /// Signs every run of consecutive local appends of one document as ONE record (in place): the
    /// record commits with the run's last append and travels with the run's last announcement (an
    /// announcement of its own if the run announced nothing, e.g. structs still pending). A burst
    /// of keystrokes read together thus costs one signature.
    /// </summary>
    public void SignLocalRuns(List<PendingAppend> batch, Func<string, SpaceId> spaceOf)
    {
        var i = 0;
        while (i < batch.Count)
        {
            if (!batch[i].Local)
            {
                i++;
                continue;
            }

            var docId = batch[i].DocId;
            var end = i;
            while (end + 1 < batch.Count && batch[end + 1].Local && batch[end + 1].DocId == docId)
            {
                end++;
            }

            SignRun(batch, i, end, docId, spaceOf);
            i = end + 1;
        }
    }

    private void SignRun(List<PendingAppend> batch, int first, int last, string docId, Func<string, SpaceId> spaceOf)
    {
        var updates = new List<byte[]>(last - first + 1);
        var lastAnnounced = -1;
        for (var k = first; k <= last; k++)
        {
            if (batch[k].Update is { } update)
            {
                updates.Add(update);
            }

            if (batch[k].Announce is not null)
            {
                lastAnnounced = k;
            }
        }

        if (updates.Count == 0)
        {
            return;
        }

        var (record, row) = Sign(docId, spaceOf(docId), updates);
        batch[last] = batch[last] with { Records = [.. batch[last].Records, row] };
        if (lastAnnounced >= 0)
        {
            var announce = batch[lastAnnounced].Announce!;
            batch[lastAnnounced] = batch[lastAnnounced] with { Announce = announce with { Records = [.. announce.Records, record.Encoded] } };
        }
        else
        {
            batch[last] = batch[last] with { Announce = new DocumentUpdate(docId, [], batch[last].Origin, [record.Encoded]) };
        }
    }
}
