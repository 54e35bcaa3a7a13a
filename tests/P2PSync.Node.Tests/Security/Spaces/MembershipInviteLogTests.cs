using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>OpenInvite / CloseInvite and the AddMember an invite key may sign (docs/protocol/membership-log.md).</summary>
public sealed class MembershipInviteLogTests : IDisposable
{
    private readonly TestSpace _space = new();
    private readonly DeviceKey _invite = DeviceKey.Generate();
    private readonly DeviceKey _joiner = DeviceKey.Generate();
    private readonly DeviceKey _editor = DeviceKey.Generate();

    public void Dispose()
    {
        _space.Dispose();
        _invite.Dispose();
        _joiner.Dispose();
        _editor.Dispose();
    }

    [Fact]
    public void An_open_invite_lets_its_key_add_one_member_with_its_role()
    {
        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Editor));
        Assert.Equal(new MembershipInvite(SpaceRole.Editor, MembershipInviteStatus.Open), _space.Log.Invites[_invite.Id]);
        Assert.Null(_space.Log.RoleOf(_invite.Id));

        _space.Apply(_space.NextAdd(_invite, _joiner.Id, SpaceRole.Editor));
        Assert.Equal(SpaceRole.Editor, _space.Log.RoleOf(_joiner.Id));
        Assert.Equal(MembershipInviteStatus.Claimed, _space.Log.Invites[_invite.Id].Status);
        Assert.Null(_space.Log.RoleOf(_invite.Id));
    }

    [Fact]
    public void A_claimed_invite_cannot_be_claimed_again_nor_closed()
    {
        using var second = DeviceKey.Generate();
        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Viewer));
        _space.Apply(_space.NextAdd(_invite, _joiner.Id, SpaceRole.Viewer));

        var ex = _space.AssertRefused(_space.NextAdd(_invite, second.Id, SpaceRole.Viewer), MembershipRefusal.InviteNotOpen);
        Assert.Contains("already claimed", ex.Message, StringComparison.Ordinal);
        _space.AssertRefused(_space.NextCloseInvite(_space.Owner, _invite.Id), MembershipRefusal.InviteNotOpen);
    }

    [Fact]
    public void A_closed_invite_cannot_be_claimed_or_closed_again()
    {
        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Editor));
        _space.Apply(_space.NextCloseInvite(_space.Owner, _invite.Id));
        Assert.Equal(MembershipInviteStatus.Closed, _space.Log.Invites[_invite.Id].Status);

        var ex = _space.AssertRefused(_space.NextAdd(_invite, _joiner.Id, SpaceRole.Editor), MembershipRefusal.InviteNotOpen);
        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
        _space.AssertRefused(_space.NextCloseInvite(_space.Owner, _invite.Id), MembershipRefusal.InviteNotOpen);
    }

    [Fact]
    public void The_claim_must_carry_the_invites_role_and_add_a_newcomer()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Viewer));

        _space.AssertRefused(_space.NextAdd(_invite, _joiner.Id, SpaceRole.Editor), MembershipRefusal.InviteRoleMismatch);
        _space.AssertRefused(_space.NextAdd(_invite, _joiner.Id, SpaceRole.Owner), MembershipRefusal.InviteRoleMismatch);
        _space.AssertRefused(_space.NextAdd(_invite, _editor.Id, SpaceRole.Viewer), MembershipRefusal.AlreadyMember);
        Assert.Equal(MembershipInviteStatus.Open, _space.Log.Invites[_invite.Id].Status);
    }

    [Fact]
    public void Only_owners_open_or_close_invites_and_only_editor_or_viewer_roles()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.AssertRefused(_space.NextOpenInvite(_editor, _invite.Id, SpaceRole.Editor), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Owner), MembershipRefusal.BadInviteRole);

        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Editor));
        _space.AssertRefused(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Viewer), MembershipRefusal.InviteAlreadyOpened);
        _space.AssertRefused(_space.NextCloseInvite(_editor, _invite.Id), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextCloseInvite(_space.Owner, _joiner.Id), MembershipRefusal.InviteNotOpen);
    }

    [Fact]
    public void An_invite_key_may_sign_nothing_but_its_claim()
    {
        using var other = DeviceKey.Generate();
        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Editor));

        _space.AssertRefused(_space.NextRotate(_invite, 1), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextRemove(_invite, _space.Owner.Id), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextChange(_invite, _space.Owner.Id, SpaceRole.Viewer), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextOpenInvite(_invite, other.Id, SpaceRole.Editor), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextCloseInvite(_invite, _invite.Id), MembershipRefusal.NotAnOwner);

        // A key nobody opened is just a stranger.
        _space.AssertRefused(_space.NextAdd(other, _joiner.Id, SpaceRole.Editor), MembershipRefusal.NotAnOwner);
    }

    [Fact]
    public void Replaying_the_entries_gives_the_same_invites_and_members()
    {
        using var closed = DeviceKey.Generate();
        _space.Apply(_space.NextOpenInvite(_space.Owner, _invite.Id, SpaceRole.Editor));
        _space.Apply(_space.NextOpenInvite(_space.Owner, closed.Id, SpaceRole.Viewer));
        _space.Apply(_space.NextAdd(_invite, _joiner.Id, SpaceRole.Editor));
        _space.Apply(_space.NextCloseInvite(_space.Owner, closed.Id));

        var replay = new MembershipLog(_space.Id);
        foreach (var entry in _space.Log.Entries)
        {
            Assert.True(replay.Apply(MembershipEntryCodec.Read(MembershipEntryCodec.Encode(entry))));
        }

        Assert.Equal(LogSnapshot.Of(_space.Log), LogSnapshot.Of(replay));
        Assert.Equal(MembershipInviteStatus.Closed, replay.Invites[closed.Id].Status);
        Assert.Equal(MembershipInviteStatus.Claimed, replay.Invites[_invite.Id].Status);
    }
}
