using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Every document belongs to one space, fixed once set.</summary>
public sealed class DocumentSpaceTests
{
    [Fact]
    public void Create_InASpace_KeepsItAcrossRestarts_AndCreateWithoutSpaceStillWorks()
    {
        using var fixture = new StoreFixture();
        var space = SpaceIn(fixture, 1);

        var inSpace = fixture.Documents.Create("plan", space, TestDevices.Make(1));
        var loose = fixture.Documents.Create("old style");
        fixture.Reopen();

        Assert.Equal(space, inSpace.SpaceId);
        Assert.Equal(inSpace, fixture.Documents.Get(inSpace.Id));
        Assert.Null(fixture.Documents.Get(loose.Id)!.SpaceId);
        Assert.Equal(2, fixture.Documents.List().Count);
    }

    [Fact]
    public void DocumentInfo_ComparesSpaceIdsByContent()
    {
        var info = new DocumentInfo("d", "n", 1, 1, "", 0, 0) { SpaceId = StoreIds.Space(1) };

        Assert.Equal(info, info with { SpaceId = StoreIds.Space(1) });
        Assert.Equal(info.GetHashCode(), (info with { SpaceId = StoreIds.Space(1) }).GetHashCode());
        Assert.NotEqual(info, info with { SpaceId = StoreIds.Space(2) });
        Assert.NotEqual(info, info with { SpaceId = null });
    }

    [Fact]
    public void Create_InAnUnknownSpaceOrWithABadId_IsRefusedAndCreatesNothing()
    {
        using var fixture = new StoreFixture();

        Assert.Throws<SpaceNotFoundException>(() => fixture.Documents.Create("plan", StoreIds.Space(3)));
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.Create("plan", new byte[15])).Field);
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.Create("plan", (byte[])null!)).Field);

        Assert.Empty(fixture.Documents.List());
    }

    [Fact]
    public void SetSpace_OnlyFillsAMissingSpace_NeverChangesOne()
    {
        using var fixture = new StoreFixture();
        var first = SpaceIn(fixture, 1);
        var second = SpaceIn(fixture, 2);
        var doc = fixture.Documents.Create("legacy");

        Assert.True(fixture.Documents.SetSpace(doc.Id, first));
        Assert.False(fixture.Documents.SetSpace(doc.Id, second));
        Assert.False(fixture.Documents.SetSpace(doc.Id, first));

        Assert.Equal(first, fixture.Documents.Get(doc.Id)!.SpaceId);
        var created = fixture.Documents.Create("new", second);
        Assert.False(fixture.Documents.SetSpace(created.Id, first));
        Assert.Equal(second, fixture.Documents.Get(created.Id)!.SpaceId);
    }

    [Fact]
    public void SetSpace_BadArguments_AreRefused()
    {
        using var fixture = new StoreFixture();
        var space = SpaceIn(fixture, 1);
        var doc = fixture.Documents.Create("legacy");

        Assert.Throws<DocumentNotFoundException>(() => fixture.Documents.SetSpace("0123456789abcdef0123456789abcdef", space));
        Assert.Throws<SpaceNotFoundException>(() => fixture.Documents.SetSpace(doc.Id, StoreIds.Space(9)));
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.SetSpace(doc.Id, new byte[2])).Field);
        Assert.Equal("document id", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.SetSpace("", space)).Field);

        Assert.Null(fixture.Documents.Get(doc.Id)!.SpaceId);
    }

    [Fact]
    public void AssignSpaceWhereMissing_MovesOnlyDocumentsWithoutASpace()
    {
        using var fixture = new StoreFixture();
        var personal = SpaceIn(fixture, 1);
        var shared = SpaceIn(fixture, 2);
        var a = fixture.Documents.Create("a");
        var b = fixture.Documents.Create("b");
        var c = fixture.Documents.Create("c", shared);

        Assert.Equal(2, fixture.Documents.AssignSpaceWhereMissing(personal));
        Assert.Equal(0, fixture.Documents.AssignSpaceWhereMissing(shared));

        Assert.Equal([personal, personal, shared], new[] { a, b, c }.Select(d => fixture.Documents.Get(d.Id)!.SpaceId!));
        Assert.Throws<SpaceNotFoundException>(() => fixture.Documents.AssignSpaceWhereMissing(StoreIds.Space(9)));
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AssignSpaceWhereMissing(new byte[20])).Field);
    }

    [Fact]
    public void AcceptAnnounced_WithASpace_CreatesInIt_AndKeepsAnExistingDocumentsSpace()
    {
        using var fixture = new StoreFixture();
        var mine = SpaceIn(fixture, 1);
        var theirs = SpaceIn(fixture, 2);
        const string id = "0123456789abcdef0123456789abcdef";

        var (created, outcome) = fixture.Documents.AcceptAnnounced(id, "plan", 10, 10, "", mine);
        Assert.Equal(AnnounceOutcome.Created, outcome);
        Assert.Equal(mine, created.SpaceId);

        var (renamed, again) = fixture.Documents.AcceptAnnounced(id, "plan v2", 10, 20, "", theirs);
        Assert.Equal(AnnounceOutcome.Renamed, again);
        Assert.Equal(mine, renamed.SpaceId);
        Assert.Equal("plan v2", fixture.Documents.Get(id)!.Name);
        Assert.Equal(mine, fixture.Documents.Get(id)!.SpaceId);
    }

    [Fact]
    public void AcceptAnnounced_WithAnUnknownSpaceOrBadId_IsRefusedAndCreatesNothing()
    {
        using var fixture = new StoreFixture();
        const string id = "0123456789abcdef0123456789abcdef";

        Assert.Throws<SpaceNotFoundException>(() => fixture.Documents.AcceptAnnounced(id, "plan", 10, 10, "", StoreIds.Space(4)));
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(id, "plan", 10, 10, "", new byte[1])).Field);

        Assert.Null(fixture.Documents.Get(id));
    }

    [Fact]
    public void AcceptAnnounced_WithoutASpace_StillCreatesALooseDocument()
    {
        using var fixture = new StoreFixture();

        var (created, _) = fixture.Documents.AcceptAnnounced("0123456789abcdef0123456789abcdef", "plan", 10, 10, "");

        Assert.Null(created.SpaceId);
    }

    private static byte[] SpaceIn(StoreFixture fixture, int seed)
    {
        var id = StoreIds.Space(seed);
        fixture.Store.Spaces.Insert(id, "space " + seed, seed, seed == 1);
        return id;
    }
}
