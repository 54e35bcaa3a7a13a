using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class RelayOutboxRepositoryTests
{
    [Fact]
    public void TheMark_StartsAtZero_OnlyRises_AndSurvivesARestart()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Store.Documents.Create("notes").Id;
        Assert.Equal(0UL, fixture.Store.RelayOutbox.PostedUpto(doc));

        fixture.Store.RelayOutbox.MarkPosted(doc, 5);
        fixture.Store.RelayOutbox.MarkPosted(doc, 3);
        fixture.Reopen();

        Assert.Equal(5UL, fixture.Store.RelayOutbox.PostedUpto(doc));
    }

    [Fact]
    public void AnUnknownDocument_OrABadId_IsRefused_AndNothingIsStored()
    {
        using var fixture = new StoreFixture();

        Assert.Throws<DocumentNotFoundException>(() => fixture.Store.RelayOutbox.MarkPosted("no-such-doc", 1));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Store.RelayOutbox.MarkPosted("../bad", 1));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Store.RelayOutbox.MarkPosted("d", ulong.MaxValue));
        Assert.Equal(0UL, fixture.Store.RelayOutbox.PostedUpto("no-such-doc"));
    }
}
