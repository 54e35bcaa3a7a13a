using P2PSync.Crdt;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class DocumentRepositoryTests
{
    [Fact]
    public void Create_GivesRandomHexIdAndListsTheDocument()
    {
        using var fixture = new StoreFixture();

        var created = fixture.Documents.Create("notes");

        Assert.Matches("^[0-9a-f]{32}$", created.Id);
        Assert.Equal(new DocumentInfo(created.Id, "notes", fixture.Clock.NowMs, fixture.Clock.NowMs, "", 0, 0), created);
        Assert.Equal(created, fixture.Documents.Get(created.Id));
        Assert.Equal(new[] { created }, fixture.Documents.List());
    }

    [Fact]
    public void Create_IdsAreUniqueAndListIsOldestFirst()
    {
        using var fixture = new StoreFixture();
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            ids.Add(fixture.Documents.Create($"doc {i}").Id);
            fixture.Clock.Advance(1);
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids, fixture.Documents.List().Select(d => d.Id));
    }

    [Fact]
    public void Get_UnknownIdIsNull()
    {
        using var fixture = new StoreFixture();

        Assert.Null(fixture.Documents.Get("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public void Rename_ChangesNameAndItsTime_AndSurvivesReopen()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("draft");
        fixture.Clock.Advance(5_000);

        var renamed = fixture.Documents.Rename(doc.Id, "final", TestDevices.Make(1));

        Assert.Equal(doc with { Name = "final", NameChangedMs = fixture.Clock.NowMs, NameChangedBy = TestDevices.Make(1).ToString() }, renamed);
        fixture.Reopen();
        Assert.Equal(renamed, fixture.Documents.Get(doc.Id));
    }

    [Fact]
    public void Rename_UnknownDocumentOrBadNameIsTypedErrorAndChangesNothing()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("draft");

        var missing = Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.Rename("nope", "x", TestDevices.Make(1)));
        var bad = Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.Rename(doc.Id, "two\nlines", TestDevices.Make(1)));

        Assert.Equal("nope", missing.DocumentId);
        Assert.Contains("nope", missing.Message, StringComparison.Ordinal);
        Assert.Equal("document name", bad.Field);
        Assert.Equal(doc, fixture.Documents.Get(doc.Id));
    }

    [Fact]
    public void Rename_BeatsANameFromAPeerWhoseClockIsAhead()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("mine");
        var future = fixture.Clock.NowMs + 3_600_000;
        fixture.Documents.AcceptAnnounced(doc.Id, "theirs", doc.CreatedMs, future, "");

        var renamed = fixture.Documents.Rename(doc.Id, "mine again", TestDevices.Make(1));

        Assert.Equal(future + 1, renamed.NameChangedMs);
        Assert.Equal(AnnounceOutcome.Unchanged, fixture.Documents.AcceptAnnounced(doc.Id, "theirs", doc.CreatedMs, future, "").Outcome);
    }

    [Fact]
    public void AcceptAnnounced_CreatesUnderPeersId_ThenRenamesLastWriterWins()
    {
        using var fixture = new StoreFixture();
        const string id = "fedcba9876543210fedcba9876543210";

        var (created, first) = fixture.Documents.AcceptAnnounced(id, "shared", 100, 100, "");
        var (_, older) = fixture.Documents.AcceptAnnounced(id, "stale", 100, 50, "");
        var (renamed, newer) = fixture.Documents.AcceptAnnounced(id, "fresh", 100, 200, "");
        var (_, tieLoses) = fixture.Documents.AcceptAnnounced(id, "Afresh", 100, 200, "");
        var (tie, tieWins) = fixture.Documents.AcceptAnnounced(id, "zfresh", 100, 200, "");

        Assert.Equal(AnnounceOutcome.Created, first);
        Assert.Equal(new DocumentInfo(id, "shared", 100, 100, "", 0, 0), created);
        Assert.Equal(AnnounceOutcome.Unchanged, older);
        Assert.Equal(AnnounceOutcome.Renamed, newer);
        Assert.Equal("fresh", renamed.Name);
        Assert.Equal(AnnounceOutcome.Unchanged, tieLoses);
        Assert.Equal(AnnounceOutcome.Renamed, tieWins);
        Assert.Equal("zfresh", tie.Name);
        Assert.Equal("zfresh", fixture.Documents.Get(id)!.Name);
    }

    [Fact]
    public void AppendUpdate_NumbersFromOne_AndLoadDocReplaysTheLog()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 1);

        var seqs = new[] { "hello", " ", "world" }
            .Select(part => fixture.Documents.AppendUpdate(doc.Id, edits.Append(part), "local"))
            .ToArray();

        Assert.Equal(new long[] { 1, 2, 3 }, seqs);
        var loaded = fixture.Documents.Load(doc.Id);
        Assert.Equal("hello world", TextUpdates.TextOf(loaded.Doc));
        Assert.Equal(3, loaded.HeadSeq);
        Assert.NotEqual(1UL, loaded.Doc.ClientId);
        Assert.Equal(3, fixture.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal("local", fixture.Scalar("SELECT origin FROM update_log WHERE seq = 2"));
        Assert.Equal(fixture.Clock.NowMs, fixture.Scalar("SELECT received_ms FROM update_log WHERE seq = 3"));
    }

    [Fact]
    public void LoadDoc_GivesEveryLoadItsOwnRandomClientId()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        fixture.Documents.AppendUpdate(doc.Id, new TextUpdates(clientId: 9).Append("x"), null);

        var clientIds = Enumerable.Range(0, 8).Select(_ => fixture.Documents.LoadDoc(doc.Id).ClientId).ToHashSet();

        Assert.True(clientIds.Count >= 7, "client ids must be drawn at random for each load");
        Assert.DoesNotContain(9UL, clientIds);
    }

    [Fact]
    public void AppendUpdate_MergesConcurrentEditorsAndOutOfOrderArrival()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var alice = new TextUpdates(clientId: 1);
        var bob = new TextUpdates(clientId: 2);
        var a1 = alice.Append("alice ");
        var a2 = alice.Append("again ");
        var b1 = bob.Append("bob ");

        // a2 depends on a1 but arrives first: it waits in the doc's pending structs on load.
        fixture.Documents.AppendUpdate(doc.Id, a2, "peer:A");
        fixture.Documents.AppendUpdate(doc.Id, b1, "peer:B");
        fixture.Documents.AppendUpdate(doc.Id, a1, "peer:A");

        var reference = new P2PSync.Crdt.Core.Doc();
        foreach (var update in new[] { a1, a2, b1 })
        {
            Y.ApplyUpdate(reference, update);
        }

        var loaded = fixture.Documents.LoadDoc(doc.Id);
        Assert.Equal(TextUpdates.TextOf(reference), TextUpdates.TextOf(loaded));
        Assert.Equal(Y.EncodeStateVector(reference), fixture.Documents.StateVector(doc.Id));
    }

    [Fact]
    public void EncodeStateAsUpdate_SendsWhatThePeerLacks()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 3);
        var first = edits.Append("known ");
        fixture.Documents.AppendUpdate(doc.Id, first, null);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("missing"), null);
        var peer = new P2PSync.Crdt.Core.Doc();
        Y.ApplyUpdate(peer, first);

        var delta = fixture.Documents.EncodeStateAsUpdate(doc.Id, Y.EncodeStateVector(peer));
        Y.ApplyUpdate(peer, delta);

        Assert.Equal("known missing", TextUpdates.TextOf(peer));
        Assert.True(delta.Length < fixture.Documents.EncodeStateAsUpdate(doc.Id, default).Length);
        Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.EncodeStateAsUpdate(doc.Id, new byte[] { 0xff, 0xff }));
    }

    [Fact]
    public void AppendUpdates_OneCommitForABatch_AndABadOneStoresNone()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 4);
        var batch = new[] { edits.Append("a"), edits.Append("b"), edits.Append("c") };

        Assert.Equal(3, fixture.Documents.AppendUpdates(doc.Id, batch, "peer:X"));

        var bad = new[] { edits.Append("d"), new byte[] { 1, 2, 3 } };
        var ex = Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AppendUpdates(doc.Id, bad, "peer:X"));
        Assert.Equal("update", ex.Field);
        Assert.Equal(3, fixture.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal("abc", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
    }

    [Fact]
    public void UnknownDocument_IsTypedErrorEverywhere()
    {
        using var fixture = new StoreFixture();
        var update = new TextUpdates(clientId: 1).Append("x");
        const string id = "0123456789abcdef0123456789abcdef";

        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.AppendUpdate(id, update, null));
        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.LoadDoc(id));
        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.StateVector(id));
        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.Compact(id));
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM update_log"));
    }

    [Fact]
    public void AppendUpdate_RejectsBadOrigin()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var update = new TextUpdates(clientId: 1).Append("x");

        Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AppendUpdate(doc.Id, update, "a\u0000b"));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AppendUpdate(doc.Id, update, new string('o', 129)));
        Assert.Equal(0, fixture.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public void EmptyUpdate_IsAcceptedAndHarmless()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");

        Assert.Equal(1, fixture.Documents.AppendUpdate(doc.Id, [0, 0], null));
        Assert.Equal("", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
    }
}
