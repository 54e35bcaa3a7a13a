using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Trusted peers (my devices) versus space members we only dial.</summary>
public sealed class PeerTrustTests
{
    [Fact]
    public void AddMemberPeer_IsKnownButNotTrusted_AndStaysOutOfList()
    {
        using var fixture = new StoreFixture();
        var mine = TestDevices.Make(1);
        var member = TestDevices.Make(2);
        fixture.Peers.Add(mine, "laptop", []);

        var added = fixture.Peers.AddMemberPeer(member, ["10.0.0.9:7000"]);
        fixture.Reopen();

        Assert.False(added.Trusted);
        Assert.Equal(["10.0.0.9:7000"], added.Addresses);
        Assert.Null(added.Name);
        Assert.Equal(fixture.Clock.NowMs, added.AddedMs);
        Assert.False(fixture.Peers.IsTrusted(member));
        Assert.True(fixture.Peers.IsTrusted(mine));
        Assert.Equal([mine], fixture.Peers.List().Select(p => p.DeviceId));
        Assert.Equal([(mine, true), (member, false)], fixture.Peers.ListAll().Select(p => (p.DeviceId, p.Trusted)));
        Assert.False(fixture.Peers.Get(member)!.Trusted);
    }

    [Fact]
    public void PeerAdd_AfterAddMemberPeer_MakesItTrusted_KeepingItsAddedTime()
    {
        using var fixture = new StoreFixture();
        var device = TestDevices.Make(1);
        var member = fixture.Peers.AddMemberPeer(device, ["10.0.0.9:7000"]);
        fixture.Clock.Advance(5_000);

        var trusted = fixture.Peers.Add(device, "phone", []);

        Assert.True(trusted.Trusted);
        Assert.True(fixture.Peers.IsTrusted(device));
        Assert.Equal((member.AddedMs, "phone"), (trusted.AddedMs, trusted.Name));
        Assert.Equal(["10.0.0.9:7000"], trusted.Addresses);
    }

    [Fact]
    public void AddMemberPeer_OnATrustedDevice_NeverLowersTrust_AndEmptyAddressesKeepTheOldOnes()
    {
        using var fixture = new StoreFixture();
        var device = TestDevices.Make(1);
        fixture.Peers.Add(device, "laptop", ["10.0.0.1:7000"]);

        var kept = fixture.Peers.AddMemberPeer(device, []);
        Assert.True(kept.Trusted);
        Assert.Equal("laptop", kept.Name);
        Assert.Equal(["10.0.0.1:7000"], kept.Addresses);

        var moved = fixture.Peers.AddMemberPeer(device, ["10.0.0.2:7000"]);
        Assert.True(moved.Trusted);
        Assert.Equal(["10.0.0.2:7000"], moved.Addresses);
    }

    [Fact]
    public void MemberPeers_KeepSyncStateAndCanBeRemoved()
    {
        using var fixture = new StoreFixture();
        var member = TestDevices.Make(3);
        var doc = fixture.Documents.Create("notes");
        fixture.Peers.AddMemberPeer(member, []);

        fixture.Peers.MarkSent(member, doc.Id, 4);
        Assert.True(fixture.Peers.MarkSeen(member));
        Assert.Equal(4, fixture.Peers.GetSyncState(member, doc.Id)!.SentUptoSeq);

        Assert.True(fixture.Peers.Remove(member));
        Assert.Null(fixture.Peers.Get(member));
        Assert.Empty(fixture.Peers.ListAll());
    }

    [Fact]
    public void AddMemberPeer_BadInput_IsRefusedAndStoresNothing()
    {
        using var fixture = new StoreFixture();

        Assert.Equal("device id", Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.AddMemberPeer(default, [])).Field);
        Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.AddMemberPeer(TestDevices.Make(1), ["no port"]));

        Assert.Empty(fixture.Peers.ListAll());
    }
}
