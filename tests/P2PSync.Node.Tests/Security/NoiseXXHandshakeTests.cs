using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

public sealed class NoiseXXHandshakeTests
{
    [Fact]
    public void FreshHandshakesAgreeOnKeysAndLearnEachOthersStaticKey()
    {
        var (initiatorSecret, responderSecret) = (SecureChannelTests.RandomBytes(32, 1), SecureChannelTests.RandomBytes(32, 2));
        using var initiator = new NoiseXXHandshake(true, "p"u8, initiatorSecret);
        using var responder = new NoiseXXHandshake(false, "p"u8, responderSecret);
        Complete(initiator, responder);

        Assert.Equal(responder.LocalStaticKey.ToArray(), initiator.RemoteStaticKey);
        Assert.Equal(initiator.LocalStaticKey.ToArray(), responder.RemoteStaticKey);
        var (send, _) = initiator.Split();
        var (_, receive) = responder.Split();
        var ciphertext = new byte[send.CiphertextLength(5)];
        send.EncryptWithAd([], "hello"u8, ciphertext);
        var plaintext = new byte[5];
        receive.DecryptWithAd([], ciphertext, plaintext);
        Assert.Equal("hello"u8.ToArray(), plaintext);
        Assert.Equal(1ul, receive.Nonce);
    }

    [Fact]
    public void DifferentProloguesFailTheHandshake()
    {
        using var initiator = new NoiseXXHandshake(true, "p2psync/1"u8, SecureChannelTests.RandomBytes(32, 1));
        using var responder = new NoiseXXHandshake(false, "p2psync/2"u8, SecureChannelTests.RandomBytes(32, 2));
        responder.ReadMessage(initiator.WriteMessage([]));
        Assert.Throws<ProtocolViolationException>(() => initiator.ReadMessage(responder.WriteMessage([])));
        Assert.Throws<InvalidOperationException>(() => initiator.WriteMessage([]));
    }

    [Fact]
    public void OutOfTurnCallsAreProgrammingErrors()
    {
        using var initiator = new NoiseXXHandshake(true, [], SecureChannelTests.RandomBytes(32, 1));
        using var responder = new NoiseXXHandshake(false, [], SecureChannelTests.RandomBytes(32, 2));
        Assert.Throws<InvalidOperationException>(() => responder.WriteMessage([]));
        Assert.Throws<InvalidOperationException>(() => initiator.ReadMessage(new byte[32]));
        Assert.Throws<InvalidOperationException>(() => initiator.Split());
        Complete(initiator, responder);
        Assert.Throws<InvalidOperationException>(() => initiator.WriteMessage([]));
        Assert.Throws<InvalidOperationException>(() => responder.ReadMessage([]));
    }

    [Fact]
    public void ALowOrderEphemeralKeyIsRefused()
    {
        using var initiator = new NoiseXXHandshake(true, [], SecureChannelTests.RandomBytes(32, 1));
        using var responder = new NoiseXXHandshake(false, [], SecureChannelTests.RandomBytes(32, 2));
        responder.ReadMessage(new byte[32]); // all-zero "public key"
        Assert.Throws<ProtocolViolationException>(() => responder.WriteMessage([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void AShortFirstMessageIsRefused(int length)
    {
        using var responder = new NoiseXXHandshake(false, [], SecureChannelTests.RandomBytes(32, 2));
        Assert.Throws<ProtocolViolationException>(() => responder.ReadMessage(new byte[length]));
    }

    [Fact]
    public void EveryTruncationOfMessageTwoIsRefused()
    {
        using var source = new NoiseXXHandshake(false, [], SecureChannelTests.RandomBytes(32, 2));
        var initiatorSecret = SecureChannelTests.RandomBytes(32, 1);
        var ephemeral = SecureChannelTests.RandomBytes(32, 3);
        using (var first = new NoiseXXHandshake(true, [], initiatorSecret, ephemeral))
        {
            source.ReadMessage(first.WriteMessage([]));
        }

        var message2 = source.WriteMessage("payload"u8);
        for (var length = 0; length < message2.Length; length++)
        {
            using var initiator = new NoiseXXHandshake(true, [], initiatorSecret, ephemeral);
            initiator.WriteMessage([]);
            Assert.Throws<ProtocolViolationException>(() => initiator.ReadMessage(message2.AsSpan(0, length)));
        }

        using var whole = new NoiseXXHandshake(true, [], initiatorSecret, ephemeral);
        whole.WriteMessage([]);
        Assert.Equal("payload"u8.ToArray(), whole.ReadMessage(message2));
    }

    [Fact]
    public void ARejectedCiphertextDoesNotAdvanceTheNonce()
    {
        using var initiator = new NoiseXXHandshake(true, [], SecureChannelTests.RandomBytes(32, 1));
        using var responder = new NoiseXXHandshake(false, [], SecureChannelTests.RandomBytes(32, 2));
        Complete(initiator, responder);
        var (send, _) = initiator.Split();
        var (_, receive) = responder.Split();
        var good = new byte[send.CiphertextLength(3)];
        send.EncryptWithAd([], "abc"u8, good);
        var bad = (byte[])good.Clone();
        bad[0] ^= 1;
        var plaintext = new byte[3];
        Assert.Throws<ProtocolViolationException>(() => receive.DecryptWithAd([], bad, plaintext));
        Assert.Equal(0ul, receive.Nonce);
        receive.DecryptWithAd([], good, plaintext);
        Assert.Equal("abc"u8.ToArray(), plaintext);
    }

    private static void Complete(NoiseXXHandshake initiator, NoiseXXHandshake responder)
    {
        Assert.Empty(responder.ReadMessage(initiator.WriteMessage([])));
        Assert.Equal("r"u8.ToArray(), initiator.ReadMessage(responder.WriteMessage("r"u8)));
        Assert.Equal("i"u8.ToArray(), responder.ReadMessage(initiator.WriteMessage("i"u8)));
        Assert.True(initiator.IsComplete);
        Assert.True(responder.IsComplete);
        Assert.Equal(initiator.HandshakeHash, responder.HandshakeHash);
    }
}
