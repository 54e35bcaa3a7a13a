using System.Buffers.Binary;
using System.Text;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// The signed bytes of a <see cref="RendezvousMessage"/> (then sealed with the space's current key,
/// docs/protocol/webrtc-rendezvous.md). All integers big-endian.
/// <code>
///  0     1      2          18         26           58           90           106        114      118
///  +-----+------+----------+----------+------------+------------+------------+----------+--------+--------+----------+
///  | ver | type | space 16 | epoch u64| sender 32  | target 32  | session 16 | time u64 | len u32| body   | sig 64   |
///  | =1  | 1..5 |          |          | Ed25519 pk | 0 = every  | random     | Unix ms  |        | UTF-8  | Ed25519  |
///  +-----+------+----------+----------+------------+------------+------------+----------+--------+--------+----------+
///  sig = Ed25519(sender, "p2psync/webrtc-rendezvous/v1\0" || bytes 0 .. 118+len)
/// </code>
/// </summary>
internal static class RendezvousCodec
{
    public const byte Version = 1;

    /// <summary>Bytes before the body.</summary>
    public const int HeaderLength = 118;

    /// <summary>Ed25519 signature length.</summary>
    public const int SignatureLength = 64;

    /// <summary>Largest body: an SDP of a data-only session is 1-3 KiB; the relay's frame limit (64 KiB) must hold it sealed and in base64.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const int SpaceOffset = 2;
    private const int EpochOffset = 18;
    private const int SenderOffset = 26;
    private const int TargetOffset = 58;
    private const int SessionOffset = 90;
    private const int TimeOffset = 106;
    private const int LengthOffset = 114;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> SignatureLabel => "p2psync/webrtc-rendezvous/v1\0"u8;

    /// <summary>Encodes and signs; <paramref name="signer"/> must be the message's sender.</summary>
    /// <exception cref="ArgumentException">The message breaks a rule <see cref="Decode"/> would refuse it for.</exception>
    public static byte[] Encode(RendezvousMessage message, DeviceKey signer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signer);
        if (!signer.Id.Equals(message.Sender))
        {
            throw new ArgumentException("A rendezvous message is signed by its sender.", nameof(signer));
        }

        var body = Encoding.UTF8.GetBytes(message.Body);
        if (Problem(message.Type, message.Space, message.Sender, message.Target, message.Session.Span, body.Length) is { } problem)
        {
            throw new ArgumentException(problem.Message, nameof(message));
        }

        var bytes = new byte[HeaderLength + body.Length + SignatureLength];
        var span = bytes.AsSpan();
        span[0] = Version;
        span[1] = (byte)message.Type;
        message.Space.Bytes.CopyTo(span[SpaceOffset..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[EpochOffset..], message.Epoch);
        message.Sender.PublicKey.Span.CopyTo(span[SenderOffset..]);
        if (!message.Target.IsEmpty)
        {
            message.Target.PublicKey.Span.CopyTo(span[TargetOffset..]);
        }

        message.Session.Span.CopyTo(span[SessionOffset..]);
        BinaryPrimitives.WriteInt64BigEndian(span[TimeOffset..], message.TimestampMs);
        BinaryPrimitives.WriteUInt32BigEndian(span[LengthOffset..], (uint)body.Length);
        body.CopyTo(span[HeaderLength..]);
        var signed = span[..(HeaderLength + body.Length)];
        signer.Sign(Labelled(signed)).CopyTo(span[(HeaderLength + body.Length)..]);
        return bytes;
    }

    /// <summary>Parses and checks the signature; throws only <see cref="RendezvousFormatException"/>.</summary>
    public static RendezvousMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength + SignatureLength)
        {
            throw Fail(RendezvousFormatProblem.Truncated, $"a rendezvous message is at least {HeaderLength + SignatureLength} bytes, not {bytes.Length}");
        }

        if (bytes[0] != Version)
        {
            throw Fail(RendezvousFormatProblem.UnknownVersion, $"rendezvous version {bytes[0]} is not {Version}");
        }

        var type = (RendezvousMessageType)bytes[1];
        if (!Enum.IsDefined(type))
        {
            throw Fail(RendezvousFormatProblem.UnknownType, $"rendezvous type {bytes[1]} is unknown");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[LengthOffset..]);
        if (length > MaxBodyBytes)
        {
            throw Fail(RendezvousFormatProblem.BodyTooLong, $"a rendezvous body of {length} bytes is over {MaxBodyBytes}");
        }

        if (bytes.Length != HeaderLength + (int)length + SignatureLength)
        {
            throw Fail(RendezvousFormatProblem.Truncated, $"a body of {length} bytes needs {HeaderLength + length + SignatureLength} bytes in all, not {bytes.Length}");
        }

        var space = SpaceId.FromBytes(bytes.Slice(SpaceOffset, SpaceId.Length));
        var sender = DeviceId.FromPublicKey(bytes.Slice(SenderOffset, DeviceId.KeyLength));
        var targetBytes = bytes.Slice(TargetOffset, DeviceId.KeyLength);
        var target = targetBytes.IndexOfAnyExcept((byte)0) < 0 ? default : DeviceId.FromPublicKey(targetBytes);
        var session = bytes.Slice(SessionOffset, RendezvousMessage.SessionLength);
        if (Problem(type, space, sender, target, session, (int)length) is { } problem)
        {
            throw problem;
        }

        var signed = bytes[..(HeaderLength + (int)length)];
        if (!Sodium.Ed25519Verify(bytes[(HeaderLength + (int)length)..], Labelled(signed), sender.PublicKey.Span))
        {
            throw Fail(RendezvousFormatProblem.BadSignature, $"the signature of {sender.ToShortString()} does not verify");
        }

        string body;
        try
        {
            body = StrictUtf8.GetString(bytes.Slice(HeaderLength, (int)length));
        }
        catch (DecoderFallbackException)
        {
            throw Fail(RendezvousFormatProblem.BadText, "the rendezvous body is not UTF-8");
        }

        return new RendezvousMessage(
            type,
            space,
            BinaryPrimitives.ReadUInt64BigEndian(bytes[EpochOffset..]),
            sender,
            target,
            session.ToArray(),
            BinaryPrimitives.ReadInt64BigEndian(bytes[TimeOffset..]),
            body);
    }

    private static RendezvousFormatException? Problem(RendezvousMessageType type, SpaceId space, DeviceId sender, DeviceId target, ReadOnlySpan<byte> session, int bodyLength)
    {
        if (!Enum.IsDefined(type))
        {
            return Fail(RendezvousFormatProblem.UnknownType, $"rendezvous type {(byte)type} is unknown");
        }

        if (bodyLength > MaxBodyBytes)
        {
            return Fail(RendezvousFormatProblem.BodyTooLong, $"a rendezvous body of {bodyLength} bytes is over {MaxBodyBytes}");
        }

        if (space.IsEmpty || space.Bytes.IndexOfAnyExcept((byte)0) < 0)
        {
            return Fail(RendezvousFormatProblem.BadField, "a rendezvous message names its space");
        }

        if (sender.IsEmpty || sender.Equals(target))
        {
            return Fail(RendezvousFormatProblem.BadField, "a rendezvous message has a sender other than its target");
        }

        if (session.Length != RendezvousMessage.SessionLength || session.IndexOfAnyExcept((byte)0) < 0)
        {
            return Fail(RendezvousFormatProblem.BadField, $"a rendezvous session id is {RendezvousMessage.SessionLength} bytes, not all zero");
        }

        if (target.IsEmpty && type is not (RendezvousMessageType.Hello or RendezvousMessageType.Bye))
        {
            return Fail(RendezvousFormatProblem.BadField, $"a {type} is for one device, not everyone");
        }

        if (type == RendezvousMessageType.Hello && bodyLength != 0)
        {
            return Fail(RendezvousFormatProblem.BadField, "a hello has no body");
        }

        if (type is RendezvousMessageType.Offer or RendezvousMessageType.Answer && bodyLength == 0)
        {
            return Fail(RendezvousFormatProblem.BadField, $"an {type} carries SDP");
        }

        return null;
    }

    private static byte[] Labelled(ReadOnlySpan<byte> signed)
    {
        var labelled = new byte[SignatureLabel.Length + signed.Length];
        SignatureLabel.CopyTo(labelled);
        signed.CopyTo(labelled.AsSpan(SignatureLabel.Length));
        return labelled;
    }

    private static RendezvousFormatException Fail(RendezvousFormatProblem problem, string message) => new(problem, message);
}
