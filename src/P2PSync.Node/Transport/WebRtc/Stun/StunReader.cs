using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// Parses one datagram into a <see cref="StunMessage"/>. Checks the header, every attribute's
/// length and padding, the known attributes' values and FINGERPRINT; leaves MESSAGE-INTEGRITY to
/// <see cref="StunIntegrity.VerifyIntegrity"/> because only the caller knows the key. Throws
/// <see cref="WebRtcFormatException"/> (layer Stun) and nothing else.
/// <code>
/// attribute: type(2) length(2) value(length) zero padding to a multiple of 4
/// </code>
/// </summary>
internal static class StunReader
{
    /// <summary>RFC 8489 caps USERNAME at 513 bytes and reason phrases/SOFTWARE at 763.</summary>
    private const int MaxUsernameBytes = 513;
    private const int MaxTextBytes = 763;
    private const int MaxAttributes = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static StunMessage Read(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < StunHeader.Length)
        {
            throw Problem(WebRtcFormatProblem.Truncated, $"{datagram.Length} bytes is shorter than the 20-byte header");
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        if ((type & 0xC000) != 0)
        {
            throw Problem(WebRtcFormatProblem.Unsupported, "the top two bits of the type are set: not STUN");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunHeader.MagicCookie)
        {
            throw Problem(WebRtcFormatProblem.Unsupported, "wrong magic cookie: not RFC 5389/8489 STUN");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0)
        {
            throw Problem(WebRtcFormatProblem.LengthMismatch, $"message length {length} is not a multiple of 4");
        }

        if (length != datagram.Length - StunHeader.Length)
        {
            throw Problem(WebRtcFormatProblem.LengthMismatch, $"message length {length} but {datagram.Length - StunHeader.Length} bytes follow the header");
        }

        (int method, StunClass stunClass) = StunHeader.DecodeType(type);
        if (method != (int)StunMethod.Binding)
        {
            throw Problem(WebRtcFormatProblem.Unsupported, $"method 0x{method:x3} (only Binding is spoken)");
        }

        var transactionId = TransactionId.Read(datagram[8..]);
        var state = new StunReadState();
        int offset = StunHeader.Length;
        int count = 0;
        while (offset < datagram.Length)
        {
            if (++count > MaxAttributes)
            {
                throw Problem(WebRtcFormatProblem.TooLarge, $"more than {MaxAttributes} attributes");
            }

            if (datagram.Length - offset < 4)
            {
                throw Problem(WebRtcFormatProblem.Truncated, $"attribute header at {offset} is cut short");
            }

            ushort attributeType = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (valueLength + 3) & ~3;
            if (offset + 4 + padded > datagram.Length)
            {
                throw Problem(WebRtcFormatProblem.Truncated, $"attribute 0x{attributeType:x4} at {offset} claims {valueLength} bytes");
            }

            if (state.HasFingerprint)
            {
                throw Problem(WebRtcFormatProblem.Malformed, "an attribute follows FINGERPRINT, which must be last");
            }

            ReadAttribute(datagram, offset, attributeType, datagram.Slice(offset + 4, valueLength), transactionId, state);
            offset += 4 + padded;
        }

        return new StunMessage
        {
            Method = StunMethod.Binding,
            Class = stunClass,
            TransactionId = transactionId,
            Username = state.Username,
            IceControlling = state.IceControlling,
            IceControlled = state.IceControlled,
            UseCandidate = state.UseCandidate,
            Priority = state.Priority,
            ErrorCode = state.ErrorCode,
            UnknownAttributes = state.UnknownAttributes,
            XorMappedAddress = state.XorMappedAddress,
            MappedAddress = state.MappedAddress,
            Software = state.Software,
            MessageIntegrityOffset = state.IntegrityOffset,
            HasFingerprint = state.HasFingerprint,
            UnknownComprehensionRequired = state.UnknownRequired,
            IgnoredAttributeCount = state.Ignored,
        };
    }

    private static void ReadAttribute(ReadOnlySpan<byte> datagram, int offset, ushort type, ReadOnlySpan<byte> value, TransactionId transactionId, StunReadState state)
    {
        if (type == (ushort)StunAttributeType.Fingerprint)
        {
            RequireLength(type, value, StunIntegrity.FingerprintLength);
            uint expected = StunIntegrity.ComputeFingerprint(datagram, offset);
            if (BinaryPrimitives.ReadUInt32BigEndian(value) != expected)
            {
                throw Problem(WebRtcFormatProblem.BadChecksum, "FINGERPRINT does not match the message");
            }

            state.HasFingerprint = true;
            return;
        }

        // RFC 8489 §14.5: after MESSAGE-INTEGRITY only FINGERPRINT counts; the rest is not covered by the MAC.
        if (state.IntegrityOffset is not null)
        {
            state.Ignored++;
            return;
        }

        switch ((StunAttributeType)type)
        {
            case StunAttributeType.MessageIntegrity:
                RequireLength(type, value, StunIntegrity.IntegrityLength);
                state.IntegrityOffset = offset;
                return;
            case StunAttributeType.Username when state.Username is null:
                RequireMaxLength(type, value, MaxUsernameBytes);
                state.Username = DecodeText(type, value);
                return;
            case StunAttributeType.Priority when state.Priority is null:
                RequireLength(type, value, 4);
                state.Priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                return;
            case StunAttributeType.UseCandidate:
                RequireLength(type, value, 0);
                state.UseCandidate = true;
                return;
            case StunAttributeType.IceControlling when state.IceControlling is null:
                RequireLength(type, value, 8);
                state.IceControlling = BinaryPrimitives.ReadUInt64BigEndian(value);
                return;
            case StunAttributeType.IceControlled when state.IceControlled is null:
                RequireLength(type, value, 8);
                state.IceControlled = BinaryPrimitives.ReadUInt64BigEndian(value);
                return;
            case StunAttributeType.XorMappedAddress when state.XorMappedAddress is null:
                state.XorMappedAddress = StunAddressCodec.Decode(value, transactionId, xored: true);
                return;
            case StunAttributeType.MappedAddress when state.MappedAddress is null:
                state.MappedAddress = StunAddressCodec.Decode(value, transactionId, xored: false);
                return;
            case StunAttributeType.ErrorCode when state.ErrorCode is null:
                state.ErrorCode = ReadErrorCode(type, value);
                return;
            case StunAttributeType.UnknownAttributes when state.UnknownAttributes.Count == 0:
                if ((value.Length & 1) != 0)
                {
                    throw Problem(WebRtcFormatProblem.LengthMismatch, "UNKNOWN-ATTRIBUTES has an odd length");
                }

                for (int i = 0; i < value.Length; i += 2)
                {
                    state.UnknownAttributes.Add(BinaryPrimitives.ReadUInt16BigEndian(value[i..]));
                }

                return;
            case StunAttributeType.Software when state.Software is null:
                RequireMaxLength(type, value, MaxTextBytes);
                state.Software = DecodeText(type, value);
                return;
            case StunAttributeType.Username or StunAttributeType.Priority or StunAttributeType.IceControlling
                or StunAttributeType.IceControlled or StunAttributeType.XorMappedAddress or StunAttributeType.MappedAddress
                or StunAttributeType.ErrorCode or StunAttributeType.UnknownAttributes or StunAttributeType.Software:
                // A repeat of a known attribute: RFC 8489 §14 says only the first one counts.
                state.Ignored++;
                return;
            default:
                if (type < 0x8000)
                {
                    state.UnknownRequired.Add(type);
                }
                else
                {
                    state.Ignored++;
                }

                return;
        }
    }

    /// <summary>
    /// <code>
    /// 0-1: reserved 0   2: low 3 bits = class (3..6)   3: number (0..99)   4..: UTF-8 reason
    /// </code>
    /// </summary>
    private static StunErrorCode ReadErrorCode(ushort type, ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            throw Problem(WebRtcFormatProblem.Truncated, "ERROR-CODE is shorter than 4 bytes");
        }

        RequireMaxLength(type, value, 4 + MaxTextBytes);
        int errorClass = value[2] & 0x07;
        int number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            throw Problem(WebRtcFormatProblem.InvalidValue, $"ERROR-CODE class {errorClass} number {number} is outside 300..699");
        }

        return new StunErrorCode((errorClass * 100) + number, DecodeText(type, value[4..]));
    }

    private static string DecodeText(ushort type, ReadOnlySpan<byte> value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            throw Problem(WebRtcFormatProblem.InvalidValue, $"attribute 0x{type:x4} is not valid UTF-8");
        }
    }

    private static void RequireLength(ushort type, ReadOnlySpan<byte> value, int length)
    {
        if (value.Length != length)
        {
            throw Problem(WebRtcFormatProblem.LengthMismatch, $"attribute 0x{type:x4} must be {length} bytes, not {value.Length}");
        }
    }

    private static void RequireMaxLength(ushort type, ReadOnlySpan<byte> value, int max)
    {
        if (value.Length > max)
        {
            throw Problem(WebRtcFormatProblem.TooLarge, $"attribute 0x{type:x4} is {value.Length} bytes, over {max}");
        }
    }

    private static WebRtcFormatException Problem(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Stun, problem, message);
}
