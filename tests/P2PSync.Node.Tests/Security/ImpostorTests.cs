using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

/// <summary>
/// A peer that completes the Noise handshake correctly but lies about which device it is must be
/// refused: the identity payload has to match the static key it really used.
/// </summary>
public sealed class ImpostorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ReplayingAnotherDevicesIdentityPayloadIsRefused()
    {
        using var victim = SecureChannelTests.Key(10);
        using var mallory = SecureChannelTests.Key(11);
        using var bob = SecureChannelTests.Key(2);
        using var initiator = ManualInitiator.Start(mallory, bob);

        // Mallory uses her own static key but presents the victim's (valid, signed) payload.
        await initiator.HandshakeAsync(HandshakeIdentity.Create(victim, ManualInitiator.StaticKeyOf(victim)));

        var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => initiator.Responder.WaitAsync(Timeout));
        Assert.Contains("not derived from the device key it claims", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignatureThatDoesNotVerifyIsRefused()
    {
        using var mallory = SecureChannelTests.Key(11);
        using var bob = SecureChannelTests.Key(2);
        using var initiator = ManualInitiator.Start(mallory, bob);
        var payload = HandshakeIdentity.Create(mallory, initiator.StaticKey);
        payload[^1] ^= 1;

        await initiator.HandshakeAsync(payload);

        var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => initiator.Responder.WaitAsync(Timeout));
        Assert.Contains("signature does not verify", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(95)]
    [InlineData(97)]
    public async Task AnIdentityPayloadOfTheWrongSizeIsRefused(int size)
    {
        using var mallory = SecureChannelTests.Key(11);
        using var bob = SecureChannelTests.Key(2);
        using var initiator = ManualInitiator.Start(mallory, bob);

        await initiator.HandshakeAsync(new byte[size]);

        var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => initiator.Responder.WaitAsync(Timeout));
        Assert.Contains("identity payload", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyAcceptsTheGenuinePayload()
    {
        using var alice = SecureChannelTests.Key(1);
        var staticKey = ManualInitiator.StaticKeyOf(alice);
        Assert.Equal(alice.Id, HandshakeIdentity.Verify(HandshakeIdentity.Create(alice, staticKey), staticKey));
    }
}
