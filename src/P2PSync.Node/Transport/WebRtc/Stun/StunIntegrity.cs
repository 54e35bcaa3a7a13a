using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// MESSAGE-INTEGRITY (HMAC-SHA1, 20 bytes) and FINGERPRINT (CRC-32 ^ 0x5354554E). Both cover the
/// message up to their own attribute, with the header length patched as if the message ended
/// right after that attribute: that is how a FINGERPRINT added later leaves MI verifiable.
/// ICE keys MI with the UTF-8 bytes of the receiver's ice-pwd (short-term credentials).
/// </summary>
internal static class StunIntegrity
{
    public const int IntegrityLength = 20;
    public const int FingerprintLength = 4;
    public const uint FingerprintXor = 0x5354554E;
    private const int AttributeHeader = 4;

    /// <summary>HMAC over <paramref name="message"/>[0, offset) with the length field set to end after the MI attribute.</summary>
    public static void ComputeIntegrity(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key, Span<byte> mac)
    {
        byte[] copy = message[..integrityOffset].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(integrityOffset - StunHeader.Length + AttributeHeader + IntegrityLength));
        HMACSHA1.HashData(key, copy, mac);
    }

    /// <summary>True when the MI value at <paramref name="integrityOffset"/> matches; compared in constant time.</summary>
    public static bool VerifyIntegrity(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key)
    {
        if (integrityOffset < StunHeader.Length || integrityOffset + AttributeHeader + IntegrityLength > message.Length)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[IntegrityLength];
        ComputeIntegrity(message, integrityOffset, key, mac);
        return CryptographicOperations.FixedTimeEquals(mac, message.Slice(integrityOffset + AttributeHeader, IntegrityLength));
    }

    /// <summary>FINGERPRINT value for an attribute at <paramref name="fingerprintOffset"/>.</summary>
    public static uint ComputeFingerprint(ReadOnlySpan<byte> message, int fingerprintOffset)
    {
        byte[] copy = message[..fingerprintOffset].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(fingerprintOffset - StunHeader.Length + AttributeHeader + FingerprintLength));
        return Crc32.Compute(copy) ^ FingerprintXor;
    }
}
