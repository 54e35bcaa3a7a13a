using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// Encodes a <see cref="StunMessage"/>: attributes in a fixed order (SOFTWARE, USERNAME, ICE-CONTROLLING/
/// CONTROLLED, USE-CANDIDATE, PRIORITY, ERROR-CODE, UNKNOWN-ATTRIBUTES, XOR-MAPPED-ADDRESS;
/// SOFTWARE first as RFC 5769's samples have it, the rest as Chromium's checks), then MESSAGE-INTEGRITY when a key is given, then FINGERPRINT when asked. Padding is
/// zero. Misuse by our own code (oversized text) is an <see cref="ArgumentException"/>.
/// </summary>
internal static class StunWriter
{
    /// <summary>Covers the largest message the length limits on USERNAME, ERROR-CODE and SOFTWARE allow.</summary>
    private const int MaxMessage = 4096;

    public static byte[] Encode(StunMessage message, ReadOnlySpan<byte> integrityKey, bool addFingerprint)
    {
        var output = new ArrayBufferWriter<byte>(128);
        Write(output, message, integrityKey, addFingerprint);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, StunMessage message, ReadOnlySpan<byte> integrityKey, bool addFingerprint)
    {
        Span<byte> buffer = output.GetSpan(MaxMessage)[..MaxMessage];
        int length = WriteInto(buffer, message, integrityKey, addFingerprint);
        output.Advance(length);
    }

    private static int WriteInto(Span<byte> buffer, StunMessage message, ReadOnlySpan<byte> integrityKey, bool addFingerprint)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, StunHeader.EncodeType(message.Method, message.Class));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunHeader.MagicCookie);
        message.TransactionId.WriteTo(buffer[8..]);
        int offset = StunHeader.Length;

        if (message.Software is { } software)
        {
            offset = WriteText(buffer, offset, StunAttributeType.Software, software, 763);
        }

        if (message.Username is { } username)
        {
            offset = WriteText(buffer, offset, StunAttributeType.Username, username, 513);
        }

        if (message.IceControlling is { } controlling)
        {
            offset = WriteUInt64(buffer, offset, StunAttributeType.IceControlling, controlling);
        }

        if (message.IceControlled is { } controlled)
        {
            offset = WriteUInt64(buffer, offset, StunAttributeType.IceControlled, controlled);
        }

        if (message.UseCandidate)
        {
            offset = WriteHeader(buffer, offset, StunAttributeType.UseCandidate, 0);
        }

        if (message.Priority is { } priority)
        {
            offset = WriteHeader(buffer, offset, StunAttributeType.Priority, 4);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[offset..], priority);
            offset += 4;
        }

        if (message.ErrorCode is { } error)
        {
            offset = WriteErrorCode(buffer, offset, error);
        }

        if (message.UnknownAttributes.Count > 0)
        {
            int valueLength = message.UnknownAttributes.Count * 2;
            offset = WriteHeader(buffer, offset, StunAttributeType.UnknownAttributes, valueLength);
            foreach (ushort type in message.UnknownAttributes)
            {
                BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], type);
                offset += 2;
            }

            offset = Pad(buffer, offset, valueLength);
        }

        if (message.XorMappedAddress is { } mapped)
        {
            int headerAt = offset;
            int valueLength = StunAddressCodec.EncodeXor(mapped, message.TransactionId, buffer[(offset + 4)..]);
            WriteHeader(buffer, headerAt, StunAttributeType.XorMappedAddress, valueLength);
            offset += 4 + valueLength;
        }

        if (!integrityKey.IsEmpty)
        {
            int integrityAt = offset;
            StunIntegrity.ComputeIntegrity(buffer[..offset], integrityAt, integrityKey, buffer[(offset + 4)..(offset + 4 + StunIntegrity.IntegrityLength)]);
            WriteHeader(buffer, integrityAt, StunAttributeType.MessageIntegrity, StunIntegrity.IntegrityLength);
            offset += 4 + StunIntegrity.IntegrityLength;
        }

        if (addFingerprint)
        {
            int fingerprintAt = offset;
            uint fingerprint = StunIntegrity.ComputeFingerprint(buffer[..offset], fingerprintAt);
            WriteHeader(buffer, fingerprintAt, StunAttributeType.Fingerprint, StunIntegrity.FingerprintLength);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(offset + 4)..], fingerprint);
            offset += 4 + StunIntegrity.FingerprintLength;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)(offset - StunHeader.Length));
        return offset;
    }

    private static int WriteErrorCode(Span<byte> buffer, int offset, StunErrorCode error)
    {
        if (error.Code is < 300 or > 699)
        {
            throw new ArgumentException($"STUN error codes are 300..699, not {error.Code}.", nameof(error));
        }

        int reasonLength = Encoding.UTF8.GetByteCount(error.Reason);
        if (reasonLength > 763)
        {
            throw new ArgumentException("The reason phrase is over 763 bytes.", nameof(error));
        }

        offset = WriteHeader(buffer, offset, StunAttributeType.ErrorCode, 4 + reasonLength);
        buffer[offset] = 0;
        buffer[offset + 1] = 0;
        buffer[offset + 2] = (byte)(error.Code / 100);
        buffer[offset + 3] = (byte)(error.Code % 100);
        Encoding.UTF8.GetBytes(error.Reason, buffer[(offset + 4)..]);
        offset += 4 + reasonLength;
        return Pad(buffer, offset, 4 + reasonLength);
    }

    private static int WriteText(Span<byte> buffer, int offset, StunAttributeType type, string text, int maxBytes)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        if (length > maxBytes)
        {
            throw new ArgumentException($"{type} is {length} bytes, over {maxBytes}.", nameof(text));
        }

        offset = WriteHeader(buffer, offset, type, length);
        Encoding.UTF8.GetBytes(text, buffer[offset..]);
        offset += length;
        return Pad(buffer, offset, length);
    }

    private static int WriteUInt64(Span<byte> buffer, int offset, StunAttributeType type, ulong value)
    {
        offset = WriteHeader(buffer, offset, type, 8);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[offset..], value);
        return offset + 8;
    }

    private static int WriteHeader(Span<byte> buffer, int offset, StunAttributeType type, int valueLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], (ushort)valueLength);
        return offset + 4;
    }

    private static int Pad(Span<byte> buffer, int offset, int valueLength)
    {
        int padding = (4 - (valueLength & 3)) & 3;
        buffer.Slice(offset, padding).Clear();
        return offset + padding;
    }
}
