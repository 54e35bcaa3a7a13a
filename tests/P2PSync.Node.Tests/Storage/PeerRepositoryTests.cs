using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Storage;

public sealed class PeerRepositoryTests
{
    [Fact]
    public void Add_TrustsTheDevice_AndListShowsIt()
    {
        using var fixture = new StoreFixture();
        var device = Device(1);

        var added = fixture.Peers.Add(device, "laptop", ["127.0.0.1:7000", "[::1]:7000"]);

        Assert.Equal(new PeerInfo(device, "laptop", ["127.0.0.1:7000", "[::1]:7000"], fixture.Clock.NowMs, null), added, PeerComparer);
        Assert.True(fixture.Peers.IsTrusted(device));
        Assert.False(fixture.Peers.IsTrusted(Device(2)));
        Assert.False(fixture.Peers.IsTrusted(default));
        Assert.Equal(added, Assert.Single(fixture.Peers.List()), PeerComparer);
        fixture.Reopen();
        Assert.Equal(added, fixture.Peers.Get(device), PeerComparer!);
    }

    [Fact]
    public void Add_Again_ReplacesGivenFieldsAndKeepsTheRest()
    {
        using var fixture = new StoreFixture();
        var device = Device(1);
        var first = fixture.Peers.Add(device, "laptop", ["10.0.0.2:7000"]);
        fixture.Clock.Advance(1000);
        fixture.Peers.MarkSeen(device);

        var again = fixture.Peers.Add(device, null, []);
        Assert.Equal("laptop", again.Name);
        Assert.Equal(["10.0.0.2:7000"], again.Addresses);
        Assert.Equal(first.AddedMs, again.AddedMs);
        Assert.Equal(fixture.Clock.NowMs, again.LastSeenMs);

        var moved = fixture.Peers.Add(device, "work laptop", ["10.0.0.3:7000", "10.0.0.3:7000"]);
        Assert.Equal("work laptop", moved.Name);
        Assert.Equal(["10.0.0.3:7000"], moved.Addresses);
        Assert.Equal(["[::1]:9"], fixture.Peers.SetAddresses(device, ["[::1]:9"]).Addresses);
    }

    [Fact]
    public void Remove_ForgetsTheDeviceAndItsSyncState()
    {
        using var fixture = new StoreFixture();
        var device = Device(1);
        var doc = fixture.Documents.Create("notes");
        fixture.Peers.Add(device, null, []);
        fixture.Peers.MarkSent(device, doc.Id, 3);

        Assert.True(fixture.Peers.Remove(device));
        Assert.False(fixture.Peers.Remove(device));
        Assert.False(fixture.Peers.IsTrusted(device));
        Assert.Empty(fixture.Peers.List());
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM peer_sync"));
        Assert.False(fixture.Peers.MarkSeen(device));
    }

    [Fact]
    public void SyncState_StateVectorAndSentSeq_PerPeerPerDocument()
    {
        using var fixture = new StoreFixture();
        var device = Device(1);
        var doc = fixture.Documents.Create("notes");
        fixture.Peers.Add(device, null, []);
        var edits = new TextUpdates(clientId: 5);
        edits.Append("abc");
        var sv = P2PSync.Crdt.Y.EncodeStateVector(edits.Doc);

        Assert.Null(fixture.Peers.GetSyncState(device, doc.Id));
        fixture.Peers.SetRemoteStateVector(device, doc.Id, sv);
        fixture.Clock.Advance(10);
        fixture.Peers.MarkSent(device, doc.Id, 7);
        fixture.Peers.MarkSent(device, doc.Id, 4);

        var state = fixture.Peers.GetSyncState(device, doc.Id)!;
        Assert.Equal(sv, state.RemoteStateVector);
        Assert.Equal(7, state.SentUptoSeq);
        Assert.Equal(fixture.Clock.NowMs, state.UpdatedMs);
        Assert.Equal(doc.Id, Assert.Single(fixture.Peers.ListSyncStates(device)).DocumentId);
        Assert.Null(fixture.Peers.GetSyncState(Device(2), doc.Id));
    }

    [Fact]
    public void MarkSent_ManyDocumentsInOneCommit_SkipsVanishedOnes_AndLeavesConnectionsSynced()
    {
        using var fixture = new StoreFixture();
        var device = Device(1);
        var a = fixture.Documents.Create("a");
        var b = fixture.Documents.Create("b");
        fixture.Peers.Add(device, null, []);
        fixture.Peers.MarkSent(device, a.Id, 9);

        var recorded = fixture.Peers.MarkSent(device, new Dictionary<string, long>
        {
            [a.Id] = 4,
            [b.Id] = 2,
            ["0123456789abcdef0123456789abcdef"] = 1,
        });

        Assert.Equal(2, recorded);
        Assert.Equal(9, fixture.Peers.GetSyncState(device, a.Id)!.SentUptoSeq);
        Assert.Equal(2, fixture.Peers.GetSyncState(device, b.Id)!.SentUptoSeq);
        Assert.Throws<PeerNotFoundException>(() => fixture.Peers.MarkSent(Device(2), new Dictionary<string, long> { [a.Id] = 1 }));

        // Unsynced bookkeeping commits must not leave a pooled connection at synchronous=NORMAL.
        using var lease = fixture.Store.Rent();
        using var command = lease.Connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, command.ExecuteScalar());
    }

    [Fact]
    public void SyncState_UnknownPeerOrDocumentOrBadVector_IsTypedError()
    {
        using var fixture = new StoreFixture();
        var device = Device(1);
        var doc = fixture.Documents.Create("notes");
        fixture.Peers.Add(device, null, []);

        var peer = Assert.Throws<PeerNotFoundException>(() => fixture.Peers.MarkSent(Device(2), doc.Id, 1));
        Assert.Contains("p2psync peer add", peer.Message, StringComparison.Ordinal);
        Assert.Throws<DocumentNotFoundException>(() => fixture.Peers.MarkSent(device, "0123", 1));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.MarkSent(device, "bad id", 1));
        var vector = Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.SetRemoteStateVector(device, doc.Id, [0x05, 0x01]));
        Assert.Equal("state vector", vector.Field);
        Assert.Throws<PeerNotFoundException>(() => fixture.Peers.SetAddresses(Device(3), []));
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM peer_sync"));
    }

    [Fact]
    public void Add_BadInput_IsTypedErrorAndStoresNothing()
    {
        using var fixture = new StoreFixture();

        Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.Add(default, null, []));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.Add(Device(1), "bad\nname", []));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Peers.Add(Device(1), null, ["nope"]));
        Assert.Throws<InvalidStoreInputException>(() =>
            fixture.Peers.Add(Device(1), null, Enumerable.Range(1, 17).Select(p => $"10.0.0.1:{p}").ToArray()));
        Assert.Empty(fixture.Peers.List());
    }

    private static DeviceId Device(int seed)
    {
        var key = new byte[32];
        new Random(seed).NextBytes(key);
        return DeviceId.FromPublicKey(key);
    }

    private static readonly IEqualityComparer<PeerInfo> PeerComparer = EqualityComparer<PeerInfo>.Create(
        (a, b) => a is not null && b is not null
            && a.DeviceId == b.DeviceId && a.Name == b.Name && a.AddedMs == b.AddedMs && a.LastSeenMs == b.LastSeenMs
            && a.Addresses.SequenceEqual(b.Addresses),
        p => p.DeviceId.GetHashCode());
}
