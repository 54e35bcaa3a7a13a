using System.Security.Cryptography;
using System.Text;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// The AES-GCM key of a y-webrtc room with a password, and the sealed frame y-webrtc's
/// <c>encrypt</c> writes:
/// <code>
/// key = PBKDF2-HMAC-SHA256(password UTF-8, salt = room name UTF-8, 100000 iterations, 32 bytes)
///
/// +------------------------+------------------------+---------------------------------------+
/// | varstring "AES-GCM"    | varuint 12 | 12 B IV   | varuint n | ciphertext (n-16) | tag 16  |
/// +------------------------+------------------------+---------------------------------------+
/// </code>
/// WebCrypto appends the 16-byte tag to the ciphertext, so the last field is exactly what
/// <c>crypto.subtle.encrypt</c> returned. No associated data.
/// </summary>
internal sealed class RoomKey : IDisposable
{
    public const int Iterations = 100_000;
    public const int KeyBytes = 32;
    public const int IvBytes = 12;
    public const int TagBytes = 16;
    public const string Algorithm = "AES-GCM";

    private readonly AesGcm _aes;

    private RoomKey(byte[] key)
    {
        _aes = new AesGcm(key, TagBytes);
        KeyMaterial = key;
    }

    /// <summary>The raw key (what WebCrypto's exportKey('raw') gives): for golden tests.</summary>
    public byte[] KeyMaterial { get; }

    /// <summary>Derives the room's key the way y-webrtc's <c>deriveKey</c> does (about 100 k HMAC rounds: call once per room).</summary>
    public static RoomKey Derive(string password, string roomName)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(roomName);
        var key = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(roomName), Iterations, HashAlgorithmName.SHA256, KeyBytes);
        return new RoomKey(key);
    }

    /// <summary>Seals with a fresh random IV (as y-webrtc does with getRandomValues).</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> iv = stackalloc byte[IvBytes];
        RandomNumberGenerator.Fill(iv);
        return Seal(plaintext, iv);
    }

    /// <summary>Seals with the given IV: only tests pin it (an IV must never repeat under one key).</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != IvBytes)
        {
            throw new ArgumentException($"the IV must be {IvBytes} bytes", nameof(iv));
        }

        var sealedBytes = new byte[plaintext.Length + TagBytes];
        _aes.Encrypt(iv, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length));
        var writer = new Lib0Writer(sealedBytes.Length + 32);
        writer.WriteVarString(Algorithm);
        writer.WriteVarUint8Array(iv);
        writer.WriteVarUint8Array(sealedBytes);
        return writer.ToArray();
    }

    /// <exception cref="YWebRtcFormatException">Not a sealed frame, another algorithm, or AES-GCM refused it (wrong password or tampered).</exception>
    public byte[] Open(ReadOnlySpan<byte> frame)
    {
        ReadOnlySpan<byte> iv;
        ReadOnlySpan<byte> sealedBytes;
        try
        {
            var reader = new Lib0Reader(frame);
            var algorithm = reader.ReadVarString();
            if (algorithm != Algorithm)
            {
                throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"unknown encryption algorithm '{Truncate(algorithm)}'");
            }

            iv = reader.ReadVarUint8Array();
            sealedBytes = reader.ReadVarUint8Array();
            reader.ExpectEnd("sealed frame");
        }
        catch (YProtocolFormatException ex)
        {
            throw YWebRtcFormatException.FromLib0(ex);
        }
        if (iv.Length != IvBytes)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"a {iv.Length}-byte IV (y-webrtc uses {IvBytes})");
        }

        if (sealedBytes.Length < TagBytes)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Truncated, $"{sealedBytes.Length} sealed bytes cannot hold the {TagBytes}-byte tag");
        }

        var plaintext = new byte[sealedBytes.Length - TagBytes];
        try
        {
            _aes.Decrypt(iv, sealedBytes[..plaintext.Length], sealedBytes[plaintext.Length..], plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Undecryptable, "AES-GCM refused the payload: another room password, or tampered", ex);
        }

        return plaintext;
    }

    public void Dispose() => _aes.Dispose();

    private static string Truncate(string text) => text.Length > 32 ? text[..32] + "..." : text;
}
