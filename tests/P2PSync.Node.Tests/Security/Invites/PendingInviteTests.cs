using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>The inviter's record of an invite: issuing, checks on construction, use, the printed code, and no secret in logs.</summary>
public sealed class PendingInviteTests
{
    [Fact]
    public void Issue_makes_a_fresh_secret_whose_id_is_derived_from_it()
    {
        var space = SpaceId.NewRandom();
        var invite = PendingInvite.Issue(space, SpaceRole.Viewer, 5_000);
        var other = PendingInvite.Issue(space, SpaceRole.Viewer, 5_000);

        Assert.Equal(InviteSecrets.InviteId(invite.Secret), invite.Id.ToArray());
        Assert.Equal(space, invite.Space);
        Assert.Equal(SpaceRole.Viewer, invite.Role);
        Assert.False(invite.IsUsed);
        Assert.Null(invite.UsedBy);
        Assert.NotEqual(invite, other);
        Assert.False(invite.Secret.SequenceEqual(other.Secret));
    }

    [Fact]
    public void It_expires_at_the_expiry_instant()
    {
        var invite = PendingInvite.Issue(SpaceId.NewRandom(), SpaceRole.Editor, 5_000);
        Assert.False(invite.IsExpired(4_999));
        Assert.True(invite.IsExpired(5_000));
    }

    [Fact]
    public void MarkUsed_records_when_and_by_whom_once()
    {
        using var joiner = DeviceKey.Generate();
        var invite = PendingInvite.Issue(SpaceId.NewRandom(), SpaceRole.Editor, 5_000);

        var used = invite.MarkUsed(4_000, joiner.Id);

        Assert.True(used.IsUsed);
        Assert.Equal(4_000, used.UsedMs);
        Assert.Equal(joiner.Id, used.UsedBy);
        Assert.False(invite.IsUsed);
        Assert.Throws<InvalidOperationException>(() => used.MarkUsed(4_001, joiner.Id));
    }

    [Fact]
    public void Equal_contents_are_equal_and_a_rebuilt_row_equals_the_original()
    {
        var invite = PendingInvite.Issue(SpaceId.NewRandom(), SpaceRole.Editor, 5_000);
        var rebuilt = new PendingInvite(invite.Id, invite.Space, invite.Role, invite.Secret, invite.ExpiresMs);
        Assert.Equal(invite, rebuilt);
        Assert.Equal(invite.GetHashCode(), rebuilt.GetHashCode());
        Assert.Equal(invite, invite with { });
    }

    [Fact]
    public void Bad_fields_are_refused_on_construction()
    {
        using var joiner = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var secret = InviteSecrets.NewSecret();
        var id = InviteSecrets.InviteId(secret);

        Assert.Throws<ArgumentException>(() => new PendingInvite(id[..15], space, SpaceRole.Editor, secret, 1));
        Assert.Throws<ArgumentException>(() => new PendingInvite(id, default, SpaceRole.Editor, secret, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PendingInvite(id, space, SpaceRole.Owner, secret, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PendingInvite(id, space, (SpaceRole)9, secret, 1));
        Assert.Throws<ArgumentException>(() => new PendingInvite(id, space, SpaceRole.Editor, secret[..31], 1));
        Assert.Throws<ArgumentException>(() => new PendingInvite(InviteSecrets.InviteId(InviteSecrets.NewSecret()), space, SpaceRole.Editor, secret, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PendingInvite(id, space, SpaceRole.Editor, secret, -1));
        Assert.Throws<ArgumentException>(() => new PendingInvite(id, space, SpaceRole.Editor, secret, 1, usedMs: 1));
        Assert.Throws<ArgumentException>(() => new PendingInvite(id, space, SpaceRole.Editor, secret, 1, usedBy: joiner.Id));
        Assert.Throws<ArgumentException>(() => new PendingInvite(id, space, SpaceRole.Editor, secret, 1, 1, default(P2PSync.Protocol.Identity.DeviceId)));
    }

    [Fact]
    public void The_code_carries_the_space_role_secret_and_expiry_rounded_down_to_seconds()
    {
        using var inviter = DeviceKey.Generate();
        var invite = PendingInvite.Issue(SpaceId.NewRandom(), SpaceRole.Viewer, 1_800_000_000_999);

        var code = invite.ToCode(inviter.Id, ["10.0.0.2:4000"]);

        Assert.Equal(invite.Space.Bytes.ToArray(), code.SpaceId.ToArray());
        Assert.Equal(InviteRole.Viewer, code.Role);
        Assert.Equal(inviter.Id, code.Inviter);
        Assert.Equal(1_800_000_000, code.ExpiresAtUnixSeconds);
        Assert.Equal(invite.Secret.ToArray(), code.Secret.ToArray());
        Assert.Equal(InviteRole.Editor, PendingInvite.Issue(invite.Space, SpaceRole.Editor, 1).ToCode(inviter.Id, []).Role);
    }

    [Fact]
    public void The_printed_form_never_shows_the_secret()
    {
        using var joiner = DeviceKey.Generate();
        var invite = PendingInvite.Issue(SpaceId.NewRandom(), SpaceRole.Editor, 5_000);
        foreach (var text in new[] { invite.ToString(), invite.MarkUsed(1, joiner.Id).ToString() })
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(invite.Secret), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(invite.Secret), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(invite.Secret), text, StringComparison.Ordinal);
            Assert.Contains("(hidden)", text, StringComparison.Ordinal);
        }
    }
}
