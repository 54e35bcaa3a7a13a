using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>Invite id and join proof: golden values (computed with Python's hashlib.blake2b), binding, and argument checks.</summary>
public sealed class InviteSecretsTests
{
    private static readonly byte[] Secret = InviteSamples.Sequence(0x40, 32);
    private static readonly DeviceId Joiner = DeviceId.FromPublicKey(InviteSamples.Sequence(0x20, 32));
    private static readonly DeviceId Inviter = DeviceId.FromPublicKey(InviteSamples.Sequence(0x60, 32));
    private static readonly SpaceId Space = SpaceId.FromBytes(InviteSamples.Sequence(0x00, 16));

    [Fact]
    public void Invite_id_and_proof_match_the_golden_values()
    {
        // hashlib.blake2b(b"p2psync/invite-id/v1", digest_size=16, key=secret) and
        // hashlib.blake2b(b"p2psync/join-proof/v1\0" + id + joiner + inviter + space, digest_size=32, key=secret).
        Assert.Equal("15b5b29424466ff2d3a9f9584e980d5c", Convert.ToHexStringLower(InviteSecrets.InviteId(Secret)));
        Assert.Equal(
            "8e26d62182e200d5f05b14905ad30f49925b243263beaccbc58b19eafc929311",
            Convert.ToHexStringLower(InviteSecrets.Proof(Secret, Joiner, Inviter, Space)));
    }

    [Fact]
    public void The_proof_is_bound_to_the_secret_both_devices_and_the_space()
    {
        var proof = InviteSecrets.Proof(Secret, Joiner, Inviter, Space);
        Assert.True(InviteSecrets.IsValidProof(proof, Secret, Joiner, Inviter, Space));

        var otherSecret = (byte[])Secret.Clone();
        otherSecret[0] ^= 1;
        Assert.False(InviteSecrets.IsValidProof(proof, otherSecret, Joiner, Inviter, Space));
        Assert.False(InviteSecrets.IsValidProof(proof, Secret, Inviter, Joiner, Space));
        Assert.False(InviteSecrets.IsValidProof(proof, Secret, Joiner, DeviceId.FromPublicKey(InviteSamples.Sequence(0x61, 32)), Space));
        Assert.False(InviteSecrets.IsValidProof(proof, Secret, Joiner, Inviter, SpaceId.FromBytes(InviteSamples.Sequence(0x01, 16))));
    }

    [Fact]
    public void A_proof_of_the_wrong_length_or_with_any_bit_flipped_is_invalid()
    {
        var proof = InviteSecrets.Proof(Secret, Joiner, Inviter, Space);
        Assert.False(InviteSecrets.IsValidProof(proof.AsSpan(0, 31), Secret, Joiner, Inviter, Space));
        Assert.False(InviteSecrets.IsValidProof([.. proof, 0], Secret, Joiner, Inviter, Space));
        Assert.False(InviteSecrets.IsValidProof([], Secret, Joiner, Inviter, Space));
        for (var bit = 0; bit < proof.Length * 8; bit++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(InviteSecrets.IsValidProof(flipped, Secret, Joiner, Inviter, Space), $"bit {bit}");
        }
    }

    [Fact]
    public void New_secrets_are_random_and_32_bytes()
    {
        var a = InviteSecrets.NewSecret();
        var b = InviteSecrets.NewSecret();
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Wrong_sized_secrets_and_empty_ids_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => InviteSecrets.InviteId(new byte[31]));
        Assert.Throws<ArgumentException>(() => InviteSecrets.Proof(new byte[33], Joiner, Inviter, Space));
        Assert.Throws<ArgumentException>(() => InviteSecrets.Proof(Secret, default, Inviter, Space));
        Assert.Throws<ArgumentException>(() => InviteSecrets.Proof(Secret, Joiner, default, Space));
        Assert.Throws<ArgumentException>(() => InviteSecrets.Proof(Secret, Joiner, Inviter, default));
    }
}
