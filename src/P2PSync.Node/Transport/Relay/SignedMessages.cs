using Google.Protobuf;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Transport.Relay;

/// <summary>
/// Node messages that travel through a relay's mailbox carry their author's signature
/// (<see cref="SignedMessage"/>): a mailbox, unlike a Noise channel, cannot say who sent them, and
/// a SpaceState may only be taken from a current member.
/// </summary>
internal static class SignedMessages
{
    private static ReadOnlySpan<byte> Label => "p2psync/signed-message/v1\0"u8;

    public static byte[] Sign(DeviceKey author, Envelope message)
    {
        var payload = message.ToByteArray();
        return new SignedMessage
        {
            Author = ByteString.CopyFrom(author.PublicKey),
            Payload = ByteString.CopyFrom(payload),
            Signature = ByteString.CopyFrom(author.Sign(Signed(payload))),
        }.ToByteArray();
    }

    /// <summary>The author and the message; throws <see cref="FormatException"/> when the bytes are not a well-signed message.</summary>
    public static (DeviceId Author, Envelope Message) Open(ReadOnlySpan<byte> bytes)
    {
        SignedMessage signed;
        try
        {
            signed = SignedMessage.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"not a signed message: {ex.Message}", ex);
        }

        if (signed.Author.Length != DeviceId.KeyLength || signed.Signature.Length != Sodium.Ed25519SignatureBytes)
        {
            throw new FormatException("a signed message needs a 32-byte author and a 64-byte signature");
        }

        if (!Sodium.Ed25519Verify(signed.Signature.Span, Signed(signed.Payload.Span), signed.Author.Span))
        {
            throw new FormatException("the signature of a signed message does not verify");
        }

        Envelope message;
        try
        {
            message = Envelope.Parser.ParseFrom(signed.Payload.Span);
            EnvelopeValidator.Validate(message);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or WireFormatException)
        {
            throw new FormatException($"a signed message holds a malformed envelope: {ex.Message}", ex);
        }

        return (DeviceId.FromPublicKey(signed.Author.Span), message);
    }

    private static byte[] Signed(ReadOnlySpan<byte> payload)
    {
        var signed = new byte[Label.Length + payload.Length];
        Label.CopyTo(signed);
        payload.CopyTo(signed.AsSpan(Label.Length));
        return signed;
    }
}
