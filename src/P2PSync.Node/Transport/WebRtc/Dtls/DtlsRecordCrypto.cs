using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// AES-128-GCM record protection as TLS 1.2 defines it (RFC 5288 §3, RFC 5246 §6.2.3.3), shared by
/// the pre-check (open) and the record cipher (seal and open) so both compute exactly the same thing.
/// </summary>
/// <remarks>
/// <code>
/// nonce (12)           = salt (4) ‖ explicit nonce (8, sent in the clear; we use epoch‖sequence)
/// additional data (13) = epoch‖sequence (8) ‖ type (1) ‖ version (2) ‖ plaintext length (2)
/// fragment             = explicit nonce (8) ‖ ciphertext (plaintext length) ‖ tag (16)
/// </code>
/// </remarks>
internal static class DtlsRecordCrypto
{
    public const int ExplicitNonceLength = 8;
    public const int TagLength = 16;
    private const int AdditionalDataLength = 13;

    /// <summary>Encrypts <paramref name="plaintext"/> into a record fragment.</summary>
    public static byte[] Seal(AesGcm cipher, ReadOnlySpan<byte> salt, long epochAndSequence, byte type, byte versionMajor, byte versionMinor, ReadOnlySpan<byte> plaintext)
    {
        var fragment = new byte[ExplicitNonceLength + plaintext.Length + TagLength];
        BinaryPrimitives.WriteInt64BigEndian(fragment, epochAndSequence);
        Span<byte> nonce = stackalloc byte[12];
        salt.CopyTo(nonce);
        fragment.AsSpan(0, ExplicitNonceLength).CopyTo(nonce[4..]);
        Span<byte> additionalData = stackalloc byte[AdditionalDataLength];
        WriteAdditionalData(additionalData, epochAndSequence, type, versionMajor, versionMinor, plaintext.Length);
        cipher.Encrypt(
            nonce,
            plaintext,
            fragment.AsSpan(ExplicitNonceLength, plaintext.Length),
            fragment.AsSpan(ExplicitNonceLength + plaintext.Length, TagLength),
            additionalData);
        return fragment;
    }

    /// <summary>Authenticates and decrypts a record fragment; false (and no plaintext) if the tag is wrong.</summary>
    public static bool TryOpen(AesGcm cipher, ReadOnlySpan<byte> salt, long epochAndSequence, byte type, byte versionMajor, byte versionMinor, ReadOnlySpan<byte> fragment, out byte[] plaintext)
    {
        plaintext = [];
        var plaintextLength = fragment.Length - ExplicitNonceLength - TagLength;
        if (plaintextLength < 0)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[12];
        salt.CopyTo(nonce);
        fragment[..ExplicitNonceLength].CopyTo(nonce[4..]);
        Span<byte> additionalData = stackalloc byte[AdditionalDataLength];
        WriteAdditionalData(additionalData, epochAndSequence, type, versionMajor, versionMinor, plaintextLength);
        var output = new byte[plaintextLength];
        try
        {
            cipher.Decrypt(
                nonce,
                fragment.Slice(ExplicitNonceLength, plaintextLength),
                fragment.Slice(ExplicitNonceLength + plaintextLength, TagLength),
                output,
                additionalData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plaintext = output;
        return true;
    }

    private static void WriteAdditionalData(Span<byte> destination, long epochAndSequence, byte type, byte versionMajor, byte versionMinor, int plaintextLength)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, epochAndSequence);
        destination[8] = type;
        destination[9] = versionMajor;
        destination[10] = versionMinor;
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], (ushort)plaintextLength);
    }
}
