using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// The fixed 20-byte STUN header and the bit shuffle that packs method and class into one type.
/// <code>
///  0       2        4                 8                              20
///  | type  | length | cookie 2112A442 | transaction id (12 bytes)     |
///  type bits (msb first): 0 0 M11..M7 C1 M6..M4 C0 M3..M0
/// </code>
/// </summary>
internal static class StunHeader
{
    public const int Length = 20;
    public const uint MagicCookie = 0x2112A442;

    public static ushort EncodeType(StunMethod method, StunClass stunClass)
    {
        int m = (int)method;
        int c = (int)stunClass;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static (int Method, StunClass Class) DecodeType(ushort type)
    {
        int method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
        int stunClass = ((type >> 4) & 1) | ((type >> 7) & 2);
        return (method, (StunClass)stunClass);
    }

    /// <summary>
    /// Cheap test used by the demultiplexer's callers: top two bits clear, cookie present, length a
    /// multiple of 4 and equal to the rest of the datagram. Anything failing it is "not STUN".
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= Length
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie
        && BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) == datagram.Length - Length
        && (datagram.Length & 3) == 0;
}
