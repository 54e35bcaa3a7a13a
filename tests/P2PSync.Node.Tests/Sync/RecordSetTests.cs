using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;

namespace P2PSync.Node.Tests.Sync;

public sealed class RecordSetTests : IDisposable
{
    private const string DocId = "doc-1";
    private static readonly SpaceId Space = SpaceId.FromBytes(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
    private readonly DeviceKey _ann = DeviceKey.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray());
    private readonly DeviceKey _bob = DeviceKey.FromSeed(Enumerable.Repeat((byte)2, 32).ToArray());

    public void Dispose()
    {
        _ann.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void Records_in_order_are_added_and_counted_into_the_vector()
    {
        var set = new RecordSet(DocId);
        Assert.Equal(1ul, set.NextSeq(_ann.Id));

        Assert.Equal(RecordAddResult.Added, set.Add(Record(_ann, 1)));
        Assert.Equal(RecordAddResult.Added, set.Add(Record(_ann, 2)));
        Assert.Equal(RecordAddResult.Added, set.Add(Record(_bob, 1)));

        Assert.Equal(3, set.Count);
        Assert.Equal(2ul, set.Vector.SeqOf(_ann.Id));
        Assert.Equal(1ul, set.Vector.SeqOf(_bob.Id));
        Assert.Equal(3ul, set.NextSeq(_ann.Id));
        Assert.Equal(2ul, set.Find(_ann.Id, 2)!.Seq);
        Assert.Null(set.Find(_ann.Id, 3));
    }

    [Fact]
    public void The_same_record_again_is_a_duplicate_and_another_at_its_seq_a_conflict()
    {
        var set = new RecordSet(DocId);
        var first = Record(_ann, 1);
        set.Add(first);

        Assert.Equal(RecordAddResult.Duplicate, set.Add(SignedRecordCodec.Decode(first.Encoded.ToArray())));
        Assert.Equal(RecordAddResult.Conflict, set.Add(Record(_ann, 1, fill: 9)));
        Assert.Same(first, set.Find(_ann.Id, 1));
        Assert.Equal(1, set.Count);

        // The same holds for a record waiting behind a gap.
        set.Add(Record(_ann, 5));
        Assert.Equal(RecordAddResult.Duplicate, set.Add(Record(_ann, 5)));
        Assert.Equal(RecordAddResult.Conflict, set.Add(Record(_ann, 5, fill: 9)));
    }

    [Fact]
    public void Records_ahead_of_a_gap_wait_and_are_counted_in_once_it_fills()
    {
        var set = new RecordSet(DocId);
        set.Add(Record(_ann, 3));
        set.Add(Record(_ann, 4));

        Assert.Equal(0ul, set.Vector.SeqOf(_ann.Id));
        Assert.Equal(2, set.WaitingCount);
        Assert.Equal(5ul, set.NextSeq(_ann.Id));

        set.Add(Record(_ann, 1));
        Assert.Equal(1ul, set.Vector.SeqOf(_ann.Id));
        set.Add(Record(_ann, 2));
        Assert.Equal(4ul, set.Vector.SeqOf(_ann.Id));
        Assert.Equal(0, set.WaitingCount);
        Assert.Equal(4, set.Count);
    }

    [Fact]
    public void Beyond_lists_per_author_what_the_remote_lacks_in_seq_order_waiting_ones_last()
    {
        var set = new RecordSet(DocId);
        foreach (var seq in new ulong[] { 1, 2, 3 })
        {
            set.Add(Record(_ann, seq));
        }

        set.Add(Record(_bob, 1));
        set.Add(Record(_bob, 4));
        set.Add(Record(_bob, 3));

        var remote = new RecordVector([new(_ann.Id, 1), new(_bob.Id, 3)]);
        Assert.Equal([(_ann.Id, 2ul), (_ann.Id, 3ul), (_bob.Id, 4ul)], set.Beyond(remote).Select(r => (r.Author, r.Seq)));
        Assert.Equal([(_ann.Id, 1ul), (_ann.Id, 2ul), (_ann.Id, 3ul), (_bob.Id, 1ul), (_bob.Id, 3ul), (_bob.Id, 4ul)], set.Beyond(RecordVector.Empty).Select(r => (r.Author, r.Seq)));
        Assert.Empty(set.Beyond(new RecordVector([new(_ann.Id, 3), new(_bob.Id, 4)])));
    }

    [Fact]
    public void A_record_of_another_document_is_refused()
    {
        var set = new RecordSet("other");
        Assert.Throws<ArgumentException>(() => set.Add(Record(_ann, 1)));
        Assert.Throws<ArgumentException>(() => new RecordSet(""));
    }

    [Fact]
    public void Seeded_shuffles_with_duplicates_end_with_every_record_in_order()
    {
        var records = new List<SignedRecord>();
        foreach (var key in new[] { _ann, _bob })
        {
            for (ulong seq = 1; seq <= 30; seq++)
            {
                records.Add(Record(key, seq));
            }
        }

        for (var seed = 1; seed <= 50; seed++)
        {
            var random = new Random(seed);
            var arrivals = records.Concat(records.Where(_ => random.Next(4) == 0)).OrderBy(_ => random.Next()).ToList();
            var set = new RecordSet(DocId);
            var added = 0;
            foreach (var record in arrivals)
            {
                var result = set.Add(record);
                Assert.True(result != RecordAddResult.Conflict, $"seed {seed}: conflict for {record}");
                added += result == RecordAddResult.Added ? 1 : 0;
            }

            Assert.True(added == records.Count, $"seed {seed}: {added} added of {records.Count}");
            Assert.True(set.Vector.SeqOf(_ann.Id) == 30 && set.Vector.SeqOf(_bob.Id) == 30, $"seed {seed}: vector {set.Vector}");
            var all = set.Beyond(RecordVector.Empty);
            Assert.True(all.Where(r => r.Author == _ann.Id).Select(r => r.Seq).SequenceEqual(Enumerable.Range(1, 30).Select(i => (ulong)i)), $"seed {seed}: ann's records out of order");
        }
    }

    private static SignedRecord Record(DeviceKey author, ulong seq, byte fill = 0) =>
        SignedRecord.Create(author, Space, DocId, seq, [[fill, (byte)seq, 0xAB]]);
}
