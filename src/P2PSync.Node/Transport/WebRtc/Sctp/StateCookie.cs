using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// What we put in our INIT ACK's State Cookie and get back in COOKIE ECHO (RFC 9260 §5.1.3).
/// <code>
///  0          4         8                12               16          20      22      24   25         33
///  | our tag  | peer tag| our initial TSN | peer init TSN  | peer rwnd | p.OS  | p.MIS | ext| created ms | HMAC-SHA256(32)
/// </code>
/// ext: bit 0 peer supports FORWARD TSN, bit 1 peer supports RE-CONFIG. The MAC key is per
/// association, so a cookie cannot be forged or carried to another association.
/// </summary>
internal sealed record StateCookie(
    uint LocalTag,
    uint PeerTag,
    uint LocalInitialTsn,
    uint PeerInitialTsn,
    uint PeerReceiveWindow,
    ushort PeerOutboundStreams,
    ushort PeerInboundStreams,
    bool PeerForwardTsn,
    bool PeerReConfig,
    long CreatedMs)
{
    private const int BodyBytes = 33;
    private const int MacBytes = 32;

    public const int Length = BodyBytes + MacBytes;

    public byte[] Seal(byte[] key)
    {
        var bytes = new byte[Length];
        var body = bytes.AsSpan(0, BodyBytes);
        BinaryPrimitives.WriteUInt32BigEndian(body, LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(body[8..], LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(body[12..], PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(body[16..], PeerReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(body[20..], PeerOutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(body[22..], PeerInboundStreams);
        body[24] = (byte)((PeerForwardTsn ? 1 : 0) | (PeerReConfig ? 2 : 0));
        BinaryPrimitives.WriteInt64BigEndian(body[25..], CreatedMs);
        HMACSHA256.HashData(key, body, bytes.AsSpan(BodyBytes));
        return bytes;
    }

    /// <summary>Returns the cookie if its MAC is ours, else null (a forged, corrupted or foreign cookie).</summary>
    public static StateCookie? Open(ReadOnlySpan<byte> bytes, byte[] key)
    {
        if (bytes.Length != Length)
        {
            return null;
        }

        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(key, bytes[..BodyBytes], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes[BodyBytes..]))
        {
            return null;
        }

        return new StateCookie(
            BinaryPrimitives.ReadUInt32BigEndian(bytes),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(bytes[20..]),
            BinaryPrimitives.ReadUInt16BigEndian(bytes[22..]),
            (bytes[24] & 1) != 0,
            (bytes[24] & 2) != 0,
            BinaryPrimitives.ReadInt64BigEndian(bytes[25..]));
    }
}
