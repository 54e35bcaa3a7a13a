using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Signed records stored with the updates they carried (DocumentRepository).</summary>
public sealed class SignedRecordStoreTests
{
    [Fact]
    public void AppendBatch_WithRecords_StoresBoth_AndLoadRecordsOrdersByAuthorThenSeq()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 3);
        var low = FilledAuthor(0x01);
        var high = FilledAuthor(0xf0);
        var records = new[]
        {
            new RecordRow(doc.Id, high, 1, [1, 1]),
            new RecordRow(doc.Id, low, 2, [2, 2]),
            new RecordRow(doc.Id, low, 1, [3, 3]),
        };

        var heads = fixture.Documents.AppendBatch([(doc.Id, edits.Append("hi"), "peer")], records);
        fixture.Reopen();

        Assert.Equal(1, heads[doc.Id]);
        Assert.Equal("hi", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Equal([records[2], records[1], records[0]], fixture.Documents.LoadRecords(doc.Id));
    }

    [Fact]
    public void AppendBatch_RecordAlreadyHeld_IsSkippedAndTheFirstBytesKept()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var author = Author(7);
        fixture.Documents.AppendBatch([], [new RecordRow(doc.Id, author, 1, [1, 2, 3])]);
        fixture.Clock.Advance(10);

        fixture.Documents.AppendBatch([], [new RecordRow(doc.Id, author, 1, [9, 9, 9]), new RecordRow(doc.Id, author, 2, [4])]);

        Assert.Equal(
            [new RecordRow(doc.Id, author, 1, [1, 2, 3]), new RecordRow(doc.Id, author, 2, [4])],
            fixture.Documents.LoadRecords(doc.Id));
        Assert.Equal(fixture.Clock.NowMs - 10, fixture.Scalar("SELECT received_ms FROM signed_records WHERE seq = 1"));
    }

    [Fact]
    public void AppendBatch_AFailingRow_CommitsNeitherUpdatesNorRecords()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 3);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("kept"), "local");
        var missing = "0123456789abcdef0123456789abcdef";

        // Updates and the first record are fine; the last record names a document that is not here.
        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.AppendBatch(
            [(doc.Id, edits.Append(" lost"), "peer")],
            [new RecordRow(doc.Id, Author(1), 1, [1]), new RecordRow(missing, Author(1), 1, [2])]));

        // And the other way round: good records, an update for a missing document.
        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.AppendBatch(
            [(doc.Id, edits.Append(" lost"), "peer"), (missing, edits.Append("!"), "peer")],
            [new RecordRow(doc.Id, Author(1), 1, [1])]));

        Assert.Equal(1, fixture.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal("kept", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Empty(fixture.Documents.LoadRecords(doc.Id));
        Assert.Empty(fixture.Documents.RecordCounts());
    }

    [Fact]
    public void AppendBatch_AnInvalidRow_IsRefusedBeforeAnythingIsWritten()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var update = new TextUpdates(clientId: 3).Append("x");
        var good = new RecordRow(doc.Id, Author(1), 1, [1]);

        Assert.Equal("record author", Refused(() => fixture.Documents.AppendBatch([(doc.Id, update, null)], [good, good with { Author = new byte[31] }])));
        Assert.Equal("record author", Refused(() => fixture.Documents.AppendBatch([], [good with { Author = null! }])));
        Assert.Equal("record seq", Refused(() => fixture.Documents.AppendBatch([], [good with { Seq = 0 }])));
        Assert.Equal("record seq", Refused(() => fixture.Documents.AppendBatch([], [good with { Seq = (ulong)long.MaxValue + 1 }])));
        Assert.Equal("record", Refused(() => fixture.Documents.AppendBatch([], [good with { Record = [] }])));
        Assert.Equal("document id", Refused(() => fixture.Documents.AppendBatch([], [good with { DocId = "../x" }])));
        Assert.Equal("update list", Refused(() => fixture.Documents.AppendBatch([], [])));
        Assert.Equal("update", Refused(() => fixture.Documents.AppendBatch([(doc.Id, [0xff, 0xff], null)], [good])));
        Assert.Throws<ArgumentNullException>(() => fixture.Documents.AppendBatch([], null!));
        Assert.Throws<ArgumentNullException>(() => fixture.Documents.AppendBatch([], [null!]));

        Assert.Equal(0, fixture.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Empty(fixture.Documents.LoadRecords(doc.Id));
    }

    [Fact]
    public void AppendBatch_RecordsOnly_LeavesTheLogAlone_AndTheOldOverloadStillWorks()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 3);

        Assert.Empty(fixture.Documents.AppendBatch([], [new RecordRow(doc.Id, Author(1), 1, [1])]));
        Assert.Equal(1, fixture.Documents.AppendBatch([(doc.Id, edits.Append("a"), "api")])[doc.Id]);
        Assert.Equal(2, fixture.Documents.AppendBatch([(doc.Id, edits.Append("b"), "api")], appliedByCaller: true)[doc.Id]);

        Assert.Equal("ab", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Single(fixture.Documents.LoadRecords(doc.Id));
    }

    [Fact]
    public void RecordCounts_CountsPerDocument_AndRecordsGoWithTheirDocument()
    {
        using var fixture = new StoreFixture();
        var a = fixture.Documents.Create("a");
        var b = fixture.Documents.Create("b");
        fixture.Documents.AppendBatch(
            [],
            [new RecordRow(a.Id, Author(1), 1, [1]), new RecordRow(a.Id, Author(2), 1, [2]), new RecordRow(b.Id, Author(1), 1, [3])]);

        var counts = fixture.Documents.RecordCounts();
        Assert.Equal((2, 2, 1), (counts.Count, counts[a.Id], counts[b.Id]));

        fixture.Execute("PRAGMA foreign_keys = ON; DELETE FROM documents WHERE id = $id", ("$id", a.Id));
        Assert.Equal(new[] { (b.Id, 1) }, fixture.Documents.RecordCounts().Select(pair => (pair.Key, pair.Value)));
    }

    [Fact]
    public void LoadRecords_UnknownOrInvalidDocument_IsRefused()
    {
        using var fixture = new StoreFixture();

        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.LoadRecords("0123456789abcdef0123456789abcdef"));
        Assert.Equal("document id", Refused(() => fixture.Documents.LoadRecords("a b")));
    }

    [Fact]
    public void LoadRecords_AStoredRowWithAShortAuthor_ReportsCorruptionNamingTheDocument()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        fixture.Execute("INSERT INTO signed_records (doc_id, author, seq, record, received_ms) VALUES ($doc, x'0102', 1, x'00', 1)", ("$doc", doc.Id));

        var error = Assert.Throws<StoreCorruptionException>(() => fixture.Documents.LoadRecords(doc.Id));

        Assert.Equal(doc.Id, error.DocumentId);
    }

    [Fact]
    public void OwnSeqFloor_DefaultsToOne_OnlyRises_AndNeedsNoDocument()
    {
        using var fixture = new StoreFixture();
        const string id = "imported-doc";

        Assert.Equal(1, fixture.Documents.OwnNextSeqFloor(id));
        fixture.Documents.SetOwnSeqFloor(id, 40);
        fixture.Documents.SetOwnSeqFloor(id, 12);
        fixture.Reopen();

        Assert.Equal(40, fixture.Documents.OwnNextSeqFloor(id));
        Assert.Equal("own seq floor", Refused(() => fixture.Documents.SetOwnSeqFloor(id, 0)));
        Assert.Equal("document id", Refused(() => fixture.Documents.SetOwnSeqFloor("", 5)));
        Assert.Equal("document id", Refused(() => fixture.Documents.OwnNextSeqFloor("a/b")));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void MutatedRowFields_AreEitherStoredExactlyOrRefusedAsInvalidInput(int seed)
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var random = new Random(seed);
        var stored = new List<RecordRow>();
        for (var i = 0; i < 50; i++)
        {
            var author = Mutations.Mutate(Author(i), random);
            var record = Mutations.Mutate(StoreIds.Bytes(seed * 100 + i, 40), random);
            var row = new RecordRow(doc.Id, author, (ulong)(i + 1), record);
            var valid = author.Length == 32 && record.Length > 0;
            try
            {
                fixture.Documents.AppendBatch([], [row]);
                Assert.True(valid, $"seed {seed}, row {i}: an author of {author.Length} bytes was stored");
                stored.Add(row);
            }
            catch (InvalidStoreInputException)
            {
                Assert.False(valid, $"seed {seed}, row {i}: a valid row was refused");
            }
        }

        var expected = stored.OrderBy(r => Convert.ToHexString(r.Author), StringComparer.Ordinal).ThenBy(r => r.Seq).ToList();
        Assert.True(expected.SequenceEqual(fixture.Documents.LoadRecords(doc.Id)), $"seed {seed}: stored rows did not come back exactly");
    }

    private static string Refused(Action action) => Assert.Throws<InvalidStoreInputException>(action).Field;

    /// <summary>An author key whose bytes are all <paramref name="fill"/> (so their order is obvious).</summary>
    private static byte[] FilledAuthor(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    private static byte[] Author(int seed) => StoreIds.Author(seed);
}
