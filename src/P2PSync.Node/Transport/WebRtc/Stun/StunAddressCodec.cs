using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// The address attributes. XOR-MAPPED-ADDRESS hides the address from middleboxes that rewrite
/// IPs they find in payloads: the port is XORed with the top of the magic cookie and the address
/// with the cookie (IPv4) or the cookie followed by the transaction id (IPv6).
/// <code>
/// 0: 0x00   1: family (1 = IPv4, 2 = IPv6)   2-3: port ^ 0x2112
/// 4..7 (v4) or 4..19 (v6): address ^ (cookie || transaction id)
/// </code>
/// </summary>
internal static class StunAddressCodec
{
    public const int IPv4Length = 8;
    public const int IPv6Length = 20;
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static IPEndPoint Decode(ReadOnlySpan<byte> value, TransactionId transactionId, bool xored)
    {
        if (value.Length != IPv4Length && value.Length != IPv6Length)
        {
            throw Problem(WebRtcFormatProblem.LengthMismatch, $"an address attribute is 8 or 20 bytes, not {value.Length}");
        }

        byte family = value[1];
        int expected = family switch
        {
            FamilyIPv4 => IPv4Length,
            FamilyIPv6 => IPv6Length,
            _ => throw Problem(WebRtcFormatProblem.InvalidValue, $"unknown address family {family}"),
        };
        if (value.Length != expected)
        {
            throw Problem(WebRtcFormatProblem.LengthMismatch, $"family {family} needs {expected} bytes, not {value.Length}");
        }

        Span<byte> mask = stackalloc byte[16];
        FillMask(mask, transactionId, xored);
        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (xored ? (int)(StunHeader.MagicCookie >> 16) : 0);
        Span<byte> address = stackalloc byte[expected - 4];
        for (int i = 0; i < address.Length; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        return new IPEndPoint(new IPAddress(address), port);
    }

    /// <summary>Writes the attribute value (without the TLV header); returns its length.</summary>
    public static int EncodeXor(IPEndPoint endPoint, TransactionId transactionId, Span<byte> destination)
    {
        Span<byte> address = stackalloc byte[16];
        if (!endPoint.Address.TryWriteBytes(address, out int written))
        {
            throw new ArgumentException("Unwritable address.", nameof(endPoint));
        }

        bool v4 = endPoint.AddressFamily == AddressFamily.InterNetwork;
        int length = v4 ? IPv4Length : IPv6Length;
        Span<byte> mask = stackalloc byte[16];
        FillMask(mask, transactionId, xored: true);
        destination[0] = 0;
        destination[1] = v4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(endPoint.Port ^ (int)(StunHeader.MagicCookie >> 16)));
        for (int i = 0; i < written; i++)
        {
            destination[4 + i] = (byte)(address[i] ^ mask[i]);
        }

        return length;
    }

    private static void FillMask(Span<byte> mask, TransactionId transactionId, bool xored)
    {
        if (!xored)
        {
            mask.Clear();
            return;
        }

        BinaryPrimitives.WriteUInt32BigEndian(mask, StunHeader.MagicCookie);
        transactionId.WriteTo(mask[4..]);
    }

    private static WebRtcFormatException Problem(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Stun, problem, message);
}
