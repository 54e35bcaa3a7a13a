using System.Runtime.InteropServices;

namespace P2PSync.Node.Crypto;

/// <summary>
/// XChaCha20-Poly1305 (IETF) authenticated encryption, the space content cipher. Its 24-byte nonce
/// is large enough to pick at random for every message, so no device has to keep a counter in step
/// with others sharing the key. Ciphertext is the encrypted bytes followed by the 16-byte tag.
/// </summary>
internal static class XChaCha20Poly1305
{
    public const int KeyBytes = 32;
    public const int NonceBytes = 24;
    public const int TagBytes = 16;

    /// <summary>The ciphertext length for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public static int CiphertextLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, int.MaxValue - TagBytes);
        return plaintextLength + TagBytes;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> and authenticates it with <paramref name="additionalData"/>; <paramref name="ciphertext"/> is plaintext length + 16.</summary>
    public static void Encrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> additionalData,
        ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        SodiumBuffers.RequireLength(key, KeyBytes, nameof(key));
        SodiumBuffers.RequireLength(nonce, NonceBytes, nameof(nonce));
        SodiumBuffers.RequireLength(ciphertext, CiphertextLength(plaintext.Length), nameof(ciphertext));
        SodiumBuffers.RequireSeparate(plaintext, ciphertext, nameof(ciphertext));
        Sodium.EnsureInitialized();
        var result = SodiumNative.XChaCha20Poly1305IetfEncrypt(
            ref MemoryMarshal.GetReference(ciphertext), out _,
            ref MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            ref MemoryMarshal.GetReference(additionalData), (ulong)additionalData.Length,
            0,
            ref MemoryMarshal.GetReference(nonce),
            ref MemoryMarshal.GetReference(key));
        if (result != 0)
        {
            throw new InvalidOperationException($"libsodium crypto_aead_xchacha20poly1305_ietf_encrypt failed ({result}).");
        }
    }

    /// <summary>
    /// Authenticates and decrypts into <paramref name="plaintext"/> (ciphertext length - 16).
    /// </summary>
    /// <exception cref="DecryptionFailedException">
    /// The tag does not verify or the ciphertext is shorter than a tag; <paramref name="plaintext"/> is zeroed,
    /// so no unauthenticated byte is ever visible to the caller.
    /// </exception>
    public static void Decrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> additionalData,
        ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        SodiumBuffers.RequireLength(key, KeyBytes, nameof(key));
        SodiumBuffers.RequireLength(nonce, NonceBytes, nameof(nonce));
        if (ciphertext.Length < TagBytes)
        {
            throw new DecryptionFailedException($"A {ciphertext.Length}-byte XChaCha20-Poly1305 ciphertext (shorter than its tag)");
        }

        SodiumBuffers.RequireLength(plaintext, ciphertext.Length - TagBytes, nameof(plaintext));
        SodiumBuffers.RequireSeparate(ciphertext, plaintext, nameof(plaintext));
        Sodium.EnsureInitialized();
        var ok = SodiumNative.XChaCha20Poly1305IetfDecrypt(
            ref MemoryMarshal.GetReference(plaintext), out _,
            0,
            ref MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            ref MemoryMarshal.GetReference(additionalData), (ulong)additionalData.Length,
            ref MemoryMarshal.GetReference(nonce),
            ref MemoryMarshal.GetReference(key)) == 0;
        if (!ok)
        {
            plaintext.Clear();
            throw new DecryptionFailedException("An XChaCha20-Poly1305 ciphertext");
        }
    }
}
