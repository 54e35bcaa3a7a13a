using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Security.Spaces;
using P2PSync.Node.Tests.Support;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>Redeeming an invite end to end (code, request, check, add member, state for the joiner) and every refusal.</summary>
public sealed class InviteRedemptionTests : IDisposable
{
    private const long Now = 1_000_000;

    private readonly SpaceNode _inviter = new();
    private readonly SpaceNode _joiner = new();
    private readonly SpaceId _space;
    private readonly PendingInvite _invite;
    private readonly InviteCode _code;

    public InviteRedemptionTests()
    {
        _space = _inviter.CreateSpace("shared");
        _invite = PendingInvite.Issue(_space, SpaceRole.Editor, Now + 60_000);
        _code = InviteCodec.Decode(InviteCodec.Encode(_invite.ToCode(_inviter.Id, ["127.0.0.1:4000"])));
    }

    [Fact]
    public void A_valid_request_is_accepted_and_the_joiner_adopts_the_space_with_its_key()
    {
        var request = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob-laptop", 4100);
        Assert.Equal("bob-laptop", request.DeviceName);
        Assert.Equal(4100u, request.ListenPort);

        Assert.Null(Check(_invite, request));

        // What the inviter's host does next: mark used, add the member, answer with the space's state.
        var used = _invite.MarkUsed(Now, _joiner.Id);
        _inviter.Spaces.AddMember(_space, _joiner.Id, _invite.Role, _inviter.Key);
        var outcome = _joiner.Receive(_inviter, _space);

        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        Assert.Equal(SpaceRole.Editor, _joiner.Spaces.RoleOf(_space, _joiner.Id));
        Assert.Equal(_inviter.KeyBytes(_space, 0), _joiner.KeyBytes(_space, 0));
        Assert.Equal(JoinRefusal.AlreadyMember, Check(used, request));
    }

    [Fact]
    public void No_invite_or_another_invites_id_is_unknown()
    {
        var request = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0);
        Assert.Equal(JoinRefusal.UnknownInvite, Check(null, request));
        Assert.Equal(JoinRefusal.UnknownInvite, Check(PendingInvite.Issue(_space, SpaceRole.Editor, Now + 1), request));

        var shortId = request.Clone();
        shortId.InviteId = ByteString.CopyFrom(request.InviteId.Span[..15]);
        Assert.Equal(JoinRefusal.UnknownInvite, Check(_invite, shortId));
    }

    [Fact]
    public void An_invite_to_a_space_the_inviter_no_longer_holds_is_unknown()
    {
        var elsewhere = PendingInvite.Issue(SpaceId.NewRandom(), SpaceRole.Editor, Now + 1);
        var code = elsewhere.ToCode(_inviter.Id, []);
        Assert.Equal(JoinRefusal.UnknownInvite, Check(elsewhere, InviteRedemption.CreateRequest(code, _joiner.Key, "bob", 0)));
    }

    [Fact]
    public void A_proof_made_by_another_device_or_for_another_inviter_is_a_bad_proof()
    {
        // Eve saw Bob's request (or holds a copy of the code) but is not Bob: the channel says who she is.
        using var eve = DeviceKey.Generate();
        var bobs = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0);
        Assert.Equal(JoinRefusal.BadProof, InviteRedemption.Check(_invite, bobs, eve.Id, _inviter.Id, Now, _inviter.Spaces));

        // A code whose inviter field was changed to someone else gives a proof for that someone.
        var forOther = new InviteCode(_code.SpaceId, _code.Role, eve.Id, [], _code.ExpiresAtUnixSeconds, _code.Secret);
        Assert.Equal(JoinRefusal.BadProof, Check(_invite, InviteRedemption.CreateRequest(forOther, _joiner.Key, "bob", 0)));

        var noProof = bobs.Clone();
        noProof.Proof = ByteString.Empty;
        Assert.Equal(JoinRefusal.BadProof, Check(_invite, noProof));
    }

    [Fact]
    public void The_proof_is_checked_before_used_or_expired_is_revealed()
    {
        using var eve = DeviceKey.Generate();
        var used = _invite.MarkUsed(Now - 1, eve.Id);
        var forged = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0);
        forged.Proof = ByteString.CopyFrom(new byte[InviteSecrets.ProofBytes]);

        Assert.Equal(JoinRefusal.BadProof, Check(used, forged));
        Assert.Equal(JoinRefusal.BadProof, Check(_invite, forged, Now + 60_000));
    }

    [Fact]
    public void A_used_invite_is_refused()
    {
        using var first = DeviceKey.Generate();
        var used = _invite.MarkUsed(Now - 1, first.Id);
        Assert.Equal(JoinRefusal.AlreadyUsed, Check(used, InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0)));
    }

    [Fact]
    public void An_invite_is_refused_from_its_expiry_instant()
    {
        var request = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0);
        Assert.Null(Check(_invite, request, _invite.ExpiresMs - 1));
        Assert.Equal(JoinRefusal.Expired, Check(_invite, request, _invite.ExpiresMs));
    }

    [Fact]
    public void A_device_that_is_already_a_member_is_told_so()
    {
        _inviter.Spaces.AddMember(_space, _joiner.Id, SpaceRole.Viewer, _inviter.Key);
        Assert.Equal(JoinRefusal.AlreadyMember, Check(_invite, InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0)));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Mutated_requests_are_never_accepted(int seed)
    {
        var genuine = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0);
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var mutant = genuine.Clone();
            if (random.Next(2) == 0)
            {
                mutant.InviteId = ByteString.CopyFrom(ByteMutator.Mutate(genuine.InviteId.ToByteArray(), random));
            }
            else
            {
                mutant.Proof = ByteString.CopyFrom(ByteMutator.Mutate(genuine.Proof.ToByteArray(), random));
            }

            var refusal = Check(_invite, mutant);
            Assert.True(refusal is JoinRefusal.UnknownInvite or JoinRefusal.BadProof, $"seed {seed}, case {i}: {Convert.ToHexString(mutant.ToByteArray())} gave {refusal?.ToString() ?? "accepted"}");
        }
    }

    [Fact]
    public void Every_refusal_has_a_message_for_the_joiner()
    {
        Assert.Equal("this invite was already used; each invite code works once, ask for a new one", JoinRefusalMessages.Describe(JoinRefusal.AlreadyUsed));
        var messages = Enum.GetValues<JoinRefusal>().Select(JoinRefusalMessages.Describe).ToList();
        Assert.Equal(messages.Count, messages.Distinct().Count());
        Assert.All(messages, m => Assert.StartsWith("this ", m, StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => JoinRefusalMessages.Describe((JoinRefusal)99));
    }

    [Fact]
    public void Missing_arguments_are_argument_errors()
    {
        var request = InviteRedemption.CreateRequest(_code, _joiner.Key, "bob", 0);
        Assert.Throws<ArgumentNullException>(() => InviteRedemption.Check(_invite, null!, _joiner.Id, _inviter.Id, Now, _inviter.Spaces));
        Assert.Throws<ArgumentNullException>(() => InviteRedemption.Check(_invite, request, _joiner.Id, _inviter.Id, Now, null!));
        Assert.Throws<ArgumentException>(() => InviteRedemption.Check(_invite, request, default, _inviter.Id, Now, _inviter.Spaces));
        Assert.Throws<ArgumentException>(() => InviteRedemption.Check(_invite, request, _joiner.Id, default(DeviceId), Now, _inviter.Spaces));
        Assert.Throws<ArgumentNullException>(() => InviteRedemption.CreateRequest(null!, _joiner.Key, "bob", 0));
    }

    public void Dispose()
    {
        _inviter.Dispose();
        _joiner.Dispose();
    }

    private JoinRefusal? Check(PendingInvite? invite, JoinRequest request, long now = Now)
        => InviteRedemption.Check(invite, request, _joiner.Id, _inviter.Id, now, _inviter.Spaces);
}
