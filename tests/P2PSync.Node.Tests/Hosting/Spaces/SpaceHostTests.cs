using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Hosting.Spaces;

/// <summary>
/// Real nodes on loopback TCP: an invite brings another person's device into one space (and only
/// that space), its edits flow both ways, and removing it ends its connection and what it gets.
/// </summary>
public sealed class SpaceHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task InviteAndJoin_ShareOneSpace_BothWays_AndNothingElse()
    {
        await using var alice = await TestNode.StartAsync(listen: true, seed: 11);
        await using var bob = await TestNode.StartAsync(listen: true, seed: 12);
        var privateDoc = alice.Host.Documents.Create("alice's diary", "test");
        alice.Host.Documents.Edit(privateDoc.Id, d => TextEdits.Append(d, "text", "secret diary entry"), "test");
        var project = alice.Host.Spaces.Create("Project", []);
        var shared = alice.Host.Documents.Create("plan", project.Id, "test");
        alice.Host.Documents.Edit(shared.Id, d => TextEdits.Append(d, "text", "from alice;"), "test");

        var code = alice.Host.Spaces.CreateInvite(project.Id, InviteRole.Editor, TimeSpan.FromHours(1), [$"127.0.0.1:{alice.Host.ListenPort}"]);
        var (joined, inviterName) = await bob.Host.JoinAsync(code, CancellationToken.None);

        Assert.Equal(project.Id, joined.Id);
        Assert.Equal("test", inviterName);
        Assert.Equal(SpaceRole.Editor, alice.Host.Spaces.Find(project.Id)!.Log.RoleOf(bob.Host.Key.Id));
        await Eventually.HoldsAsync(() => Text(bob, shared.Id) == "from alice;", Patience);

        bob.Host.Documents.Edit(shared.Id, d => TextEdits.Append(d, "text", "from bob;"), "test");
        await Eventually.HoldsAsync(() => Text(alice, shared.Id) == "from alice;from bob;", Patience);

        var bobsDoc = bob.Host.Documents.Create("bob's notes", project.Id, "test");
        await Eventually.HoldsAsync(() => alice.Host.Documents.Get(bobsDoc.Id) is not null, Patience);

        // Alice's personal documents never reach Bob, and Bob's never reach Alice.
        Assert.Null(bob.Host.Documents.Get(privateDoc.Id));
        var bobsPrivate = bob.Host.Documents.Create("bob's diary", "test");
        await Task.Delay(300);
        Assert.Null(alice.Host.Documents.Get(bobsPrivate.Id));
        Assert.Null(bob.Host.Spaces.Find(alice.Host.Spaces.Personal!.Id));
    }

    [Fact]
    public async Task AViewersRecords_AreRefusedByEveryone_AndNeverStored()
    {
        await using var alice = await TestNode.StartAsync(listen: true, seed: 21);
        await using var viewer = await TestNode.StartAsync(listen: true, seed: 22);
        var project = alice.Host.Spaces.Create("Project", []);
        var doc = alice.Host.Documents.Create("plan", project.Id, "test");
        alice.Host.Documents.Edit(doc.Id, d => TextEdits.Append(d, "text", "kept"), "test");
        var code = alice.Host.Spaces.CreateInvite(project.Id, InviteRole.Viewer, TimeSpan.FromHours(1), [$"127.0.0.1:{alice.Host.ListenPort}"]);
        await viewer.Host.JoinAsync(code, CancellationToken.None);
        await Eventually.HoldsAsync(() => Text(viewer, doc.Id) == "kept", Patience);

        // Its own node refuses the edit outright...
        Assert.Throws<ReadOnlyDocumentException>(() => viewer.Host.Documents.Edit(doc.Id, d => TextEdits.Append(d, "text", " forged"), "test"));

        // ...and a record signed with the viewer's real key, sent as if its node had not checked, is
        // refused by Alice: logged, not applied, not stored. (Sent over the viewer's own connection.)
        var record = SignedRecord.Create(viewer.Host.Key, project.Id, doc.Id, 1, [ForgedUpdate()]);
        var intake = HubSyncSource.Intake(alice.Host.Documents, alice.Host.Spaces, doc.Id, [record.Encoded], viewer.Host.Key.Id, new PeerOrigin(viewer.Host.Key.Id));
        Assert.Empty(intake.Accepted);
        Assert.Contains("viewer", Assert.Single(intake.Refusals), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("kept", Text(alice, doc.Id));
        await alice.Host.Documents.WhenDurableAsync();
        Assert.DoesNotContain(alice.Host.Documents.RecordsBeyond(doc.Id, P2PSync.Node.Sync.RecordVector.Empty), r => SignedRecordCodec.Decode(r).Author.Equals(viewer.Host.Key.Id));
    }

    [Fact]
    public async Task RemovingAMember_RotatesTheKey_ClosesItsConnection_AndItGetsNothingNew()
    {
        await using var alice = await TestNode.StartAsync(listen: true, seed: 31);
        await using var bob = await TestNode.StartAsync(listen: true, seed: 32);
        var project = alice.Host.Spaces.Create("Project", []);
        var doc = alice.Host.Documents.Create("plan", project.Id, "test");
        var code = alice.Host.Spaces.CreateInvite(project.Id, InviteRole.Editor, TimeSpan.FromHours(1), [$"127.0.0.1:{alice.Host.ListenPort}"]);
        await bob.Host.JoinAsync(code, CancellationToken.None);
        alice.Host.Documents.Edit(doc.Id, d => TextEdits.Append(d, "text", "before;"), "test");
        await Eventually.HoldsAsync(() => bob.Host.Documents.Get(doc.Id) is not null && Text(bob, doc.Id) == "before;", Patience);

        alice.Host.Spaces.Remove(project.Id, bob.Host.Key.Id);

        Assert.Equal(1UL, alice.Host.Spaces.Find(project.Id)!.Log.CurrentEpoch);
        await Eventually.HoldsAsync(() => !alice.Host.ConnectedDevices().Contains(bob.Host.DeviceId), Patience);

        // Bob is told (the log, no key) before his connection closes: his node stops writing.
        await Eventually.HoldsAsync(() => bob.Host.Spaces.Find(project.Id)!.Log.RoleOf(bob.Host.Key.Id) is null, Patience);
        Assert.False(bob.Host.Spaces.CanWrite(project.Id));
        Assert.Throws<ReadOnlyDocumentException>(() => bob.Host.Documents.Edit(doc.Id, d => TextEdits.Append(d, "text", "bob late;"), "test"));
        Assert.False(bob.Host.Spaces.Find(project.Id)!.Keys.TryGet(1, out _));

        // A record he signs anyway is refused by Alice; what she writes now never reaches him.
        var late = SignedRecord.Create(bob.Host.Key, project.Id, doc.Id, 99, [ForgedUpdate()]);
        var intake = HubSyncSource.Intake(alice.Host.Documents, alice.Host.Spaces, doc.Id, [late.Encoded], bob.Host.Key.Id, new PeerOrigin(bob.Host.Key.Id));
        Assert.Empty(intake.Accepted);
        Assert.Contains("not a member", Assert.Single(intake.Refusals), StringComparison.OrdinalIgnoreCase);
        alice.Host.Documents.Edit(doc.Id, d => TextEdits.Append(d, "text", "after;"), "test");
        await Task.Delay(1500);
        Assert.Equal("before;", Text(bob, doc.Id));
        Assert.Equal("before;after;", Text(alice, doc.Id));
        Assert.DoesNotContain(alice.Host.ConnectedDevices(), d => d == bob.Host.DeviceId);
    }

    [Fact]
    public async Task TwoDevicesThatStopTrustingEachOther_Disconnect_AndStayApart()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 51);
        var doc = pair.A.Host.Documents.Create("a's", "test");
        await Eventually.HoldsAsync(() => pair.B.Host.Documents.Get(doc.Id) is not null, Patience);

        // Each still holds a copy of the other's personal space listing both: only the removal
        // notices (the log, no keys) tell each side it is out, so both let go.
        (await pair.A.Http.DeleteAsync($"api/peers/{pair.B.Host.DeviceId}")).EnsureSuccessStatusCode();
        (await pair.B.Http.DeleteAsync($"api/peers/{pair.A.Host.DeviceId}")).EnsureSuccessStatusCode();

        await Eventually.HoldsAsync(() => pair.A.Host.ConnectedDevices().Count == 0 && pair.B.Host.ConnectedDevices().Count == 0, Patience);
        Assert.False(pair.B.Host.Spaces.SharesAnySpace(pair.A.Host.Key.Id));
        Assert.False(pair.A.Host.Spaces.SharesAnySpace(pair.B.Host.Key.Id));
        pair.A.Host.Documents.Edit(doc.Id, d => TextEdits.Append(d, "text", "private now"), "test");
        await Task.Delay(1000);
        Assert.Empty(pair.A.Host.ConnectedDevices());
        Assert.Equal("", Text(pair.B, doc.Id));
    }

    [Fact]
    public async Task ADeviceThatSharesNothing_MaySendOnlyAJoinRequest()
    {
        await using var alice = await TestNode.StartAsync(listen: true, seed: 41);
        var project = alice.Host.Spaces.Create("Project", []);
        alice.Host.Spaces.CreateInvite(project.Id, InviteRole.Editor, TimeSpan.FromHours(1), [$"127.0.0.1:{alice.Host.ListenPort}"]);
        using var stranger = DeviceKey.Generate();
        var dialer = new TcpDialer(stranger, TimeSpan.FromSeconds(10));
        await using var connection = await dialer.DialAsync(new PeerAddress("127.0.0.1", alice.Host.ListenPort!.Value), DeviceId.Parse(alice.Host.DeviceId), CancellationToken.None);

        await connection.SendAsync(EnvelopeCodec.Encode(new Envelope { Hello = new Hello { DeviceName = "stranger", ProtocolVersion = P2PSync.Node.Sync.SyncProtocolVersion.Current } }), CancellationToken.None);

        using var patience = new CancellationTokenSource(Patience);
        Assert.Null(await connection.ReceiveAsync(patience.Token));
        Assert.Contains("instead of a JoinRequest", alice.Log.ToString(), StringComparison.Ordinal);
    }

    private static string Text(TestNode node, string docId) =>
        node.Host.Documents.Get(docId) is null ? "(missing)" : node.Host.Documents.Read(docId, d => d.GetText("text").ToString());

    private static byte[] ForgedUpdate()
    {
        var doc = new Crdt.Core.Doc(new Crdt.Core.DocOptions { ClientId = 666 });
        doc.GetText("text").Insert(0, "forged");
        return Crdt.Y.EncodeStateAsUpdate(doc);
    }
}
