using P2PSync.Node.Security.Invites;

namespace P2PSync.Node.Tests.Security.Invites;

public sealed class RelayInviteKeysTests
{
    // Secret = bytes 0x40..0x5f as in join.md's golden values; expected values from Python's hashlib.blake2b.
    private static readonly byte[] Secret = InviteSamples.Sequence(0x40, 32);

    [Fact]
    public void Derived_values_match_independent_blake2b()
    {
        Assert.Equal("64c935322597ae5734d2e6232c6a1207245b1fec7a22b8c70e71990288314536", Convert.ToHexStringLower(RelayInviteKeys.BoxKey(Secret)));
        Assert.Equal("b1343fe1d104a29c9691432136eb85017a91dc3d6492340107ecaf17622f7ebf", Convert.ToHexStringLower(RelayInviteKeys.Topic(InviteSecrets.InviteId(Secret))));
        using var key = RelayInviteKeys.SigningKey(Secret);
        Assert.Equal("08c505d9504292e20a9b223f5c66660408c7951461ee02f3539d2e5c68a31b26", Convert.ToHexStringLower(key.Seed));
    }

    [Fact]
    public void Different_secrets_give_unrelated_keys()
    {
        var other = InviteSamples.Sequence(0x41, 32);
        Assert.NotEqual(RelayInviteKeys.BoxKey(Secret), RelayInviteKeys.BoxKey(other));
        using var a = RelayInviteKeys.SigningKey(Secret);
        using var b = RelayInviteKeys.SigningKey(other);
        Assert.NotEqual(a.Id, b.Id);
        Assert.NotEqual(RelayInviteKeys.BoxKey(Secret), a.Seed.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Wrong_lengths_are_refused(int length)
    {
        Assert.Throws<ArgumentException>(() => RelayInviteKeys.BoxKey(new byte[length]));
        Assert.Throws<ArgumentException>(() => RelayInviteKeys.SigningKey(new byte[length]));
        Assert.Throws<ArgumentException>(() => RelayInviteKeys.Topic(new byte[length == 0 ? 0 : length - 16]));
    }
}
