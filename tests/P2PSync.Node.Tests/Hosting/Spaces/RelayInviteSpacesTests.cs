using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Security;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting.Spaces;

/// <summary>The inviter's side of invites through the relay over a real store: opened in the log, listed while open, closed when expired or redeemed directly.</summary>
public sealed class RelayInviteSpacesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private readonly DeviceKey _key = DeviceKey.Generate();
    private readonly NodeStore _store;
    private NodeSpaces _spaces;

    public RelayInviteSpacesTests()
    {
        _store = NodeHost.OpenStore(_dir.Path, _time);
        _spaces = Open();
    }

    [Fact]
    public void A_relay_invite_is_opened_in_the_log_listed_and_described_with_raw_keys()
    {
        var space = _spaces.Create("Project", []);
        var plain = _spaces.CreateInvite(space.Id, InviteRole.Editor, TimeSpan.FromHours(1), ["127.0.0.1:7000"]);
        var relay = _spaces.CreateInvite(space.Id, InviteRole.Viewer, TimeSpan.FromHours(1), [], throughRelay: true);

        using var inviteKey = RelayInviteKeys.SigningKey(relay.Secret);
        using var plainKey = RelayInviteKeys.SigningKey(plain.Secret);
        var log = _spaces.Find(space.Id)!.Log;
        Assert.Equal(new MembershipInvite(SpaceRole.Viewer, MembershipInviteStatus.Open), log.Invites[inviteKey.Id]);
        Assert.False(log.Invites.ContainsKey(plainKey.Id));

        var open = Assert.Single(_spaces.OpenRelayInvites());
        Assert.Equal(InviteSecrets.InviteId(relay.Secret), open.Id.ToArray());

        var package = _spaces.DescribeForInvite(space.Id, open.Id);
        Assert.Equal(log.Entries.Count, package.Entries.Count);
        Assert.True(space.Keys.TryGet(0, out var key));
        Assert.Equal(key.Bytes.ToArray(), package.Keys.Single().Key.ToByteArray());

        // Kept across a restart: the log entry and the invite are in the store.
        _spaces.Dispose();
        _spaces = Open();
        Assert.Single(_spaces.OpenRelayInvites());
    }

    [Fact]
    public void An_expired_relay_invite_is_closed_in_the_log_once()
    {
        var space = _spaces.Create("Project", []);
        var code = _spaces.CreateInvite(space.Id, InviteRole.Editor, TimeSpan.FromMinutes(5), [], throughRelay: true);
        Assert.Equal(0, _spaces.CloseExpiredRelayInvites());

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(_spaces.OpenRelayInvites());
        Assert.Equal(1, _spaces.CloseExpiredRelayInvites());
        Assert.Equal(0, _spaces.CloseExpiredRelayInvites());
        using var inviteKey = RelayInviteKeys.SigningKey(code.Secret);
        Assert.Equal(MembershipInviteStatus.Closed, _spaces.Find(space.Id)!.Log.Invites[inviteKey.Id].Status);
        Assert.Equal(MembershipEntryKind.CloseInvite, _spaces.Find(space.Id)!.Log.Entries[^1].Kind);
    }

    [Fact]
    public void Redeeming_a_relay_invite_directly_closes_it_so_the_package_lets_nobody_else_in()
    {
        using var joiner = DeviceKey.Generate();
        var space = _spaces.Create("Project", []);
        var code = _spaces.CreateInvite(space.Id, InviteRole.Editor, TimeSpan.FromHours(1), ["127.0.0.1:7000"], throughRelay: true);

        var result = _spaces.Redeem(InviteRedemption.CreateRequest(code, joiner, "bob", 0), joiner.Id);
        Assert.True(result.Accepted, result.Reason);
        using var inviteKey = RelayInviteKeys.SigningKey(code.Secret);
        Assert.Equal(MembershipInviteStatus.Closed, _spaces.Find(space.Id)!.Log.Invites[inviteKey.Id].Status);
        Assert.Empty(_spaces.OpenRelayInvites());
    }

    [Fact]
    public void An_invite_claimed_through_the_relay_is_refused_on_the_lan()
    {
        using var claimer = DeviceKey.Generate();
        using var second = DeviceKey.Generate();
        var space = _spaces.Create("Project", []);
        var code = _spaces.CreateInvite(space.Id, InviteRole.Editor, TimeSpan.FromHours(1), ["127.0.0.1:7000"], throughRelay: true);

        // The claimer's new log reaches the inviter (through the relay, say): the invite is claimed.
        var package = _spaces.DescribeForInvite(space.Id, InviteSecrets.InviteId(code.Secret));
        var state = RelayInviteClaim.Claim(code, _key.Id, package, claimer);
        Assert.Equal(SpaceStateOutcomeKind.Changed, _spaces.ApplyState(state, claimer.Id).Kind);
        Assert.Empty(_spaces.OpenRelayInvites());
        var row = Assert.Single(_spaces.InvitesOf(space.Id));
        Assert.Equal(claimer.Id, row.UsedBy);
        Assert.False(_spaces.HasOpenInvites());

        var result = _spaces.Redeem(InviteRedemption.CreateRequest(code, second, "eve", 0), second.Id);
        Assert.False(result.Accepted);
        Assert.Contains("already used", result.Reason, StringComparison.Ordinal);
        Assert.Null(_spaces.Find(space.Id)!.Log.RoleOf(second.Id));
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
