using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Security;
using P2PSync.Node.Tests.Support;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Hosting.Spaces;

/// <summary>The node's spaces over a real store: the personal space follows the trusted devices, keys are encrypted at rest, invites are one-time.</summary>
public sealed class NodeSpacesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private readonly DeviceKey _key = DeviceKey.Generate();
    private readonly NodeStore _store;
    private NodeSpaces _spaces;

    public NodeSpacesTests()
    {
        _store = NodeHost.OpenStore(_dir.Path, _time);
        _spaces = Open();
    }

    [Fact]
    public void PersonalSpace_IsCreatedOnce_AndItsOwnersFollowTheTrustedDevices()
    {
        using var laptop = DeviceKey.Generate();
        using var phone = DeviceKey.Generate();
        var personal = _spaces.EnsurePersonal([laptop.Id]);
        Assert.True(personal.Personal);
        Assert.Equal(SpaceRole.Owner, personal.Log.RoleOf(_key.Id));
        Assert.Equal(SpaceRole.Owner, personal.Log.RoleOf(laptop.Id));
        Assert.Equal(0UL, personal.Log.CurrentEpoch);

        var again = _spaces.EnsurePersonal([laptop.Id, phone.Id]);
        Assert.Equal(personal.Id, again.Id);
        Assert.Equal(SpaceRole.Owner, again.Log.RoleOf(phone.Id));

        // No longer trusted: removed, and the key rotates so it cannot read what comes next.
        _spaces.EnsurePersonal([phone.Id]);
        Assert.Null(_spaces.Find(personal.Id)!.Log.RoleOf(laptop.Id));
        Assert.Equal(1UL, _spaces.Find(personal.Id)!.Log.CurrentEpoch);
        Assert.Equal(2, _spaces.Find(personal.Id)!.Keys.Count);
    }

    [Fact]
    public void SpacesAndKeys_ComeBackFromTheStore_AndNoKeyIsStoredInTheClear()
    {
        using var friend = DeviceKey.Generate();
        var space = _spaces.Create("Project", []);
        _spaces.AddMember(space.Id, friend.Id, SpaceRole.Editor);
        _spaces.Remove(space.Id, friend.Id);
        var keys = space.Keys.Epochs.Select(e => { space.Keys.TryGet(e, out var k); return k!.Bytes.ToArray(); }).ToList();
        _spaces.Dispose();

        _spaces = Open();
        var loaded = _spaces.Find(space.Id)!;
        Assert.Equal("Project", loaded.Name);
        Assert.Equal(1UL, loaded.Log.CurrentEpoch);
        Assert.Null(loaded.Log.RoleOf(friend.Id));
        foreach (var (epoch, bytes) in loaded.Keys.Epochs.Zip(keys))
        {
            Assert.True(loaded.Keys.TryGet(epoch, out var key));
            Assert.Equal(bytes, key!.Bytes.ToArray());
        }

        // The database file (and its WAL) never holds a key's bytes.
        _store.Dispose();
        var onDisk = Directory.GetFiles(_dir.Path).Where(f => f.Contains(NodeStore.FileName, StringComparison.Ordinal)).SelectMany(File.ReadAllBytes).ToArray();
        foreach (var key in keys)
        {
            Assert.Equal(-1, onDisk.AsSpan().IndexOf(key));
        }
    }

    [Fact]
    public void AKeyProtectedByAnotherDevice_CannotBeRead()
    {
        var space = _spaces.Create("Project", []);
        _spaces.Dispose();
        using var thief = DeviceKey.Generate();
        using var other = new NodeSpaces(_store.Spaces, _store.Invites, thief, new Lock(), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(0, other.Find(space.Id)!.Keys.Count);
        _spaces = Open();
    }

    [Fact]
    public void Invite_IsRedeemedOnce_AndTheJoinerGetsTheRoleAndKeysSealedToIt()
    {
        using var joiner = DeviceKey.Generate();
        var space = _spaces.Create("Project", []);
        var code = _spaces.CreateInvite(space.Id, InviteRole.Editor, TimeSpan.FromHours(1), ["127.0.0.1:7000"]);

        var result = _spaces.Redeem(InviteRedemption.CreateRequest(code, joiner, "bob", 0), joiner.Id);

        Assert.True(result.Accepted, result.Reason);
        Assert.Equal(SpaceRole.Editor, _spaces.Find(space.Id)!.Log.RoleOf(joiner.Id));
        Assert.NotEmpty(result.Space.Keys);
        var key = SpaceKeyWrap.Unwrap(result.Space.Keys[0].SealedKey.Span, result.Space.Keys[0].Epoch, joiner);
        Assert.True(space.Keys.TryGet(key.Epoch, out var ours));
        Assert.True(ours!.SameAs(key));

        using var second = DeviceKey.Generate();
        var reused = _spaces.Redeem(InviteRedemption.CreateRequest(code, second, "eve", 0), second.Id);
        Assert.False(reused.Accepted);
        Assert.Contains("already", reused.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(_spaces.Find(space.Id)!.Log.RoleOf(second.Id));
    }

    [Fact]
    public void ExpiredInvite_AndAProofForAnotherDevice_AreRefused_AndNobodyIsAdded()
    {
        using var joiner = DeviceKey.Generate();
        using var other = DeviceKey.Generate();
        var space = _spaces.Create("Project", []);
        var code = _spaces.CreateInvite(space.Id, InviteRole.Viewer, TimeSpan.FromMinutes(5), ["127.0.0.1:7000"]);

        // A proof made for another device's key does not hold for the device on the channel.
        var stolen = _spaces.Redeem(InviteRedemption.CreateRequest(code, other, "eve", 0), joiner.Id);
        Assert.False(stolen.Accepted);

        _time.Advance(TimeSpan.FromMinutes(6));
        var late = _spaces.Redeem(InviteRedemption.CreateRequest(code, joiner, "bob", 0), joiner.Id);
        Assert.False(late.Accepted);
        Assert.Contains("expired", late.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Single(_spaces.Find(space.Id)!.Log.Members);
    }

    [Fact]
    public void OnlyAnOwner_CanInvite()
    {
        using var owner = DeviceKey.Generate();
        var theirs = new NodeSpaces(_store.Spaces, _store.Invites, owner, new Lock(), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var space = theirs.Create("Theirs", []);
        theirs.AddMember(space.Id, _key.Id, SpaceRole.Editor);
        _spaces.Dispose();
        _spaces = Open();

        var ex = Assert.Throws<MembershipException>(() => _spaces.CreateInvite(space.Id, InviteRole.Editor, TimeSpan.FromHours(1), ["127.0.0.1:7000"]));
        Assert.Contains("only an owner", ex.Message, StringComparison.Ordinal);
        theirs.Dispose();
    }

    public void Dispose()
    {
        _spaces.Dispose();
        _key.Dispose();
        _store.Dispose();
        _dir.Dispose();
    }

    private NodeSpaces Open() => new(_store.Spaces, _store.Invites, _key, new Lock(), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
}
