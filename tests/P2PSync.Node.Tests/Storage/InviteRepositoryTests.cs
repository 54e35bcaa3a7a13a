using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class InviteRepositoryTests
{
    [Fact]
    public void Insert_Find_List_RoundTripAfterARestart()
    {
        using var fixture = new StoreFixture();
        var space = SpaceIn(fixture, 1);
        var other = SpaceIn(fixture, 2);
        var first = Invite(1, space, SpaceRole.Editor, createdMs: 10);
        var second = Invite(2, space, SpaceRole.Viewer, createdMs: 20);
        var elsewhere = Invite(3, other, SpaceRole.Editor, createdMs: 5);
        fixture.Store.Invites.Insert(second);
        fixture.Store.Invites.Insert(first);
        fixture.Store.Invites.Insert(elsewhere);
        fixture.Reopen();

        Assert.Equal(first, fixture.Store.Invites.Find(first.Id));
        Assert.Null(fixture.Store.Invites.Find(StoreIds.Invite(99)));
        Assert.Equal([first, second], fixture.Store.Invites.List(space));
        Assert.Equal([elsewhere], fixture.Store.Invites.List(other));
        Assert.Empty(fixture.Store.Invites.List(StoreIds.Space(77)));
    }

    [Fact]
    public void MarkUsed_WinsOnce_AndKeepsTheFirstRedemption()
    {
        using var fixture = new StoreFixture();
        var invite = Invite(1, SpaceIn(fixture, 1), SpaceRole.Editor, createdMs: 10);
        fixture.Store.Invites.Insert(invite);
        var joiner = TestDevices.Make(1);

        Assert.True(fixture.Store.Invites.MarkUsed(invite.Id, 500, joiner));
        Assert.False(fixture.Store.Invites.MarkUsed(invite.Id, 600, TestDevices.Make(2)));
        Assert.False(fixture.Store.Invites.MarkUsed(StoreIds.Invite(42), 600, joiner));

        var stored = fixture.Store.Invites.Find(invite.Id)!;
        Assert.Equal(invite with { UsedMs = 500, UsedBy = joiner }, stored);
        Assert.True(stored.IsUsed);
    }

    [Fact]
    public void MarkUsed_RacingThreads_ExactlyOneWins()
    {
        using var fixture = new StoreFixture();
        var invite = Invite(1, SpaceIn(fixture, 1), SpaceRole.Viewer, createdMs: 10);
        fixture.Store.Invites.Insert(invite);

        var wins = new bool[8];
        Parallel.For(0, wins.Length, i => wins[i] = fixture.Store.Invites.MarkUsed(invite.Id, 100 + i, TestDevices.Make(i + 1)));

        var winner = Assert.Single(Enumerable.Range(0, wins.Length), i => wins[i]);
        var stored = fixture.Store.Invites.Find(invite.Id)!;
        Assert.Equal((100L + winner, TestDevices.Make(winner + 1)), (stored.UsedMs!.Value, stored.UsedBy!.Value));
    }

    [Fact]
    public void Insert_ForAnUnknownSpace_IsRefused()
    {
        using var fixture = new StoreFixture();

        Assert.Throws<SpaceNotFoundException>(() => fixture.Store.Invites.Insert(Invite(1, StoreIds.Space(5), SpaceRole.Editor, 1)));
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM invites"));
    }

    [Fact]
    public void Insert_SameIdTwice_IsRefusedAndKeepsTheFirst()
    {
        using var fixture = new StoreFixture();
        var space = SpaceIn(fixture, 1);
        var invite = Invite(1, space, SpaceRole.Editor, 1);
        fixture.Store.Invites.Insert(invite);

        var error = Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Invites.Insert(invite with { Role = SpaceRole.Viewer }));

        Assert.Equal("invite id", error.Field);
        Assert.Equal(SpaceRole.Editor, fixture.Store.Invites.Find(invite.Id)!.Role);
    }

    [Fact]
    public void BadInput_IsRefusedWithTheFieldNamed()
    {
        using var fixture = new StoreFixture();
        var space = SpaceIn(fixture, 1);
        var good = Invite(1, space, SpaceRole.Editor, 1);
        var invites = fixture.Store.Invites;

        Assert.Equal("invite id", Refused(() => invites.Insert(good with { Id = new byte[15] })));
        Assert.Equal("invite id", Refused(() => invites.Insert(good with { Id = null! })));
        Assert.Equal("space id", Refused(() => invites.Insert(good with { SpaceId = new byte[32] })));
        Assert.Equal("invite role", Refused(() => invites.Insert(good with { Role = (SpaceRole)0 })));
        Assert.Equal("invite role", Refused(() => invites.Insert(good with { Role = (SpaceRole)9 })));
        Assert.Equal("protected invite secret", Refused(() => invites.Insert(good with { ProtectedSecret = [] })));
        Assert.Equal("invite creation time", Refused(() => invites.Insert(good with { CreatedMs = -1 })));
        Assert.Equal("invite expiry time", Refused(() => invites.Insert(good with { ExpiresMs = -1 })));
        Assert.Equal("invite", Refused(() => invites.Insert(good with { UsedMs = 5 })));
        Assert.Equal("invite", Refused(() => invites.Insert(good with { UsedBy = TestDevices.Make(1) })));
        Assert.Equal("invite id", Refused(() => invites.Find(new byte[17])));
        Assert.Equal("invite id", Refused(() => invites.MarkUsed(new byte[3], 1, TestDevices.Make(1))));
        Assert.Equal("invite use time", Refused(() => invites.MarkUsed(good.Id, -5, TestDevices.Make(1))));
        Assert.Equal("invite user", Refused(() => invites.MarkUsed(good.Id, 5, default)));
        Assert.Equal("space id", Refused(() => invites.List(new byte[1])));
        Assert.Throws<ArgumentNullException>(() => invites.Insert(null!));
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM invites"));
    }

    [Fact]
    public void Find_WithAnUnreadableUsedBy_ReportsCorruption()
    {
        using var fixture = new StoreFixture();
        var invite = Invite(1, SpaceIn(fixture, 1), SpaceRole.Editor, 1);
        fixture.Store.Invites.Insert(invite);
        fixture.Execute("UPDATE invites SET used_ms = 1, used_by = 'not a device'");

        var error = Assert.Throws<StoreCorruptionException>(() => fixture.Store.Invites.Find(invite.Id));

        Assert.Contains("not a device", error.Message);
    }

    private static string Refused(Action action) => Assert.Throws<InvalidStoreInputException>(action).Field;

    private static byte[] SpaceIn(StoreFixture fixture, int seed)
    {
        var id = StoreIds.Space(seed);
        fixture.Store.Spaces.Insert(id, "space " + seed, seed, false);
        return id;
    }

    private static InviteRow Invite(int seed, byte[] space, SpaceRole role, long createdMs) =>
        new(StoreIds.Invite(seed), space, role, StoreIds.Bytes(seed, 72), createdMs, createdMs + 86_400_000);
}
