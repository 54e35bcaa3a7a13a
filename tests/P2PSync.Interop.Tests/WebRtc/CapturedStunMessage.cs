using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Just enough STUN (RFC 8489) to check a datagram the browser sent us: the 20-byte header and the
/// attribute list, walked with their 4-byte padding. The real codec is the stun-ice package's; this
/// independent reader is what vouches for the captured golden before that codec is tested on it.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |0 0|     message type (14 bits)  |     length (attributes only)  |
/// |                  magic cookie 0x2112A442                          |
/// |                  transaction id (96 bits)                         |
/// then attributes: | type (16) | length (16) | value, padded to 4 |
/// </code>
/// </summary>
internal sealed class CapturedStunMessage
{
    public const uint MagicCookie = 0x2112A442;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;

    private const uint FingerprintXor = 0x5354554E;

    private CapturedStunMessage(byte[] bytes, ushort type, List<(ushort Type, int Offset, int Length)> attributes)
    {
        Bytes = bytes;
        Type = type;
        Attributes = attributes;
    }

    public byte[] Bytes { get; }

    public ushort Type { get; }

    /// <summary>Each attribute's type, the offset of its header in <see cref="Bytes"/>, and its value length.</summary>
    public IReadOnlyList<(ushort Type, int Offset, int Length)> Attributes { get; }

    /// <summary>Null when <paramref name="datagram"/> is not a well-formed STUN message (DTLS, garbage).</summary>
    public static CapturedStunMessage? TryRead(byte[] datagram)
    {
        if (datagram.Length < 20 || (datagram[0] & 0xC0) != 0
            || BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)) != MagicCookie
            || BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)) != datagram.Length - 20)
        {
            return null;
        }

        var attributes = new List<(ushort, int, int)>();
        var at = 20;
        while (at < datagram.Length)
        {
            if (datagram.Length - at < 4)
            {
                return null;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(at));
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(at + 2));
            var padded = (length + 3) & ~3;
            if (datagram.Length - at - 4 < padded)
            {
                return null;
            }

            attributes.Add((type, at, length));
            at += 4 + padded;
        }

        return new CapturedStunMessage(datagram, BinaryPrimitives.ReadUInt16BigEndian(datagram), attributes);
    }

    public bool Has(ushort type) => Attributes.Any(a => a.Type == type);

    public ReadOnlySpan<byte> Value(ushort type)
    {
        var (_, offset, length) = Attributes.First(a => a.Type == type);
        return Bytes.AsSpan(offset + 4, length);
    }

    public string UsernameText => Encoding.UTF8.GetString(Value(Username));

    /// <summary>
    /// MESSAGE-INTEGRITY is HMAC-SHA1 (key: the receiver's ICE password) over the message up to the
    /// attribute, with the header length rewritten as if the message ended right after it.
    /// </summary>
    public bool IntegrityMatches(string password)
    {
        var (_, offset, _) = Attributes.First(a => a.Type == MessageIntegrity);
        var covered = Bytes[..offset];
        BinaryPrimitives.WriteUInt16BigEndian(covered.AsSpan(2), (ushort)(offset + 24 - 20));
        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(password), covered);
        return expected.AsSpan().SequenceEqual(Value(MessageIntegrity));
    }

    /// <summary>FINGERPRINT is the CRC-32 of everything before it, XORed with 0x5354554E; it must come last.</summary>
    public bool FingerprintMatches()
    {
        var (type, offset, length) = Attributes[^1];
        if (type != Fingerprint || length != 4)
        {
            return false;
        }

        return (Crc32(Bytes.AsSpan(0, offset)) ^ FingerprintXor) == BinaryPrimitives.ReadUInt32BigEndian(Value(Fingerprint));
    }

    /// <summary>
    /// A Binding success response to this request: same transaction id, XOR-MAPPED-ADDRESS of
    /// <paramref name="mapped"/> (IPv4), MESSAGE-INTEGRITY keyed with <paramref name="password"/>, FINGERPRINT.
    /// </summary>
    public byte[] SuccessResponse(IPEndPoint mapped, string password)
    {
        // 20 header + 12 XOR-MAPPED-ADDRESS + 24 MESSAGE-INTEGRITY + 8 FINGERPRINT.
        var message = new byte[64];
        BinaryPrimitives.WriteUInt16BigEndian(message, 0x0101);
        Bytes.AsSpan(4, 16).CopyTo(message.AsSpan(4));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(20), 0x0020);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(22), 8);
        message[25] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(26), (ushort)(mapped.Port ^ (MagicCookie >> 16)));
        var address = BinaryPrimitives.ReadUInt32BigEndian(mapped.Address.GetAddressBytes());
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(28), address ^ MagicCookie);

        // Each check value covers what precedes it, with the length field already counting it.
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 12 + 24);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(32), MessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(34), 20);
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(password), message.AsSpan(0, 32), message.AsSpan(36, 20));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 12 + 24 + 8);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(56), Fingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(58), 4);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(60), Crc32(message.AsSpan(0, 56)) ^ FingerprintXor);
        return message;
    }

    // The ISO-HDLC CRC-32 (reflected polynomial 0xEDB88320), bit by bit: a few hundred bytes need no table.
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
