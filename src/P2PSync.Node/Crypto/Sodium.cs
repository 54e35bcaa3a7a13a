using System.Runtime.InteropServices;

namespace P2PSync.Node.Crypto;

/// <summary>
/// The libsodium primitives the node uses, over spans with their sizes checked here, so a wrong
/// buffer length is an <see cref="ArgumentException"/> in C# rather than memory corruption in C.
/// Every entry point first makes sure the library is loaded and initialised.
/// </summary>
internal static class Sodium
{
    public const int Ed25519PublicKeyBytes = 32;
    public const int Ed25519SecretKeyBytes = 64;
    public const int Ed25519SeedBytes = 32;
    public const int Ed25519SignatureBytes = 64;
    public const int X25519KeyBytes = 32;
    public const int ChaChaPolyKeyBytes = 32;
    public const int ChaChaPolyNonceBytes = 12;
    public const int ChaChaPolyTagBytes = 16;
    public const int Blake2bMaxBytes = 64;
    public const int Blake2bMaxKeyBytes = 64;

    // sodium_init is process-wide and idempotent; remembering its outcome (immutable once computed)
    // avoids a native call per primitive and gives every caller the same clear error.
    private static readonly Lazy<Exception?> InitFailure = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads and initialises libsodium.</summary>
    /// <exception cref="SodiumUnavailableException">The library is missing or refused to initialise.</exception>
    public static void EnsureInitialized()
    {
        if (InitFailure.Value is { } failure)
        {
            throw new SodiumUnavailableException(failure.Message, failure);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> with cryptographically secure random bytes.</summary>
    public static void RandomBytes(Span<byte> buffer)
    {
        EnsureInitialized();
        SodiumNative.RandomBytesBuf(ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
    }

    /// <summary>Overwrites secret material in a way the compiler will not optimise away.</summary>
    public static void MemZero(Span<byte> buffer)
    {
        EnsureInitialized();
        SodiumNative.MemZero(ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
    }

    /// <summary>Derives an Ed25519 key pair from a 32-byte seed; the 64-byte secret key is seed || public key.</summary>
    public static void Ed25519KeypairFromSeed(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        SodiumBuffers.RequireLength(seed, Ed25519SeedBytes, nameof(seed));
        SodiumBuffers.RequireLength(publicKey, Ed25519PublicKeyBytes, nameof(publicKey));
        SodiumBuffers.RequireLength(secretKey, Ed25519SecretKeyBytes, nameof(secretKey));
        EnsureInitialized();
        Check(SodiumNative.Ed25519SeedKeypair(
            ref MemoryMarshal.GetReference(publicKey),
            ref MemoryMarshal.GetReference(secretKey),
            ref MemoryMarshal.GetReference(seed)), "crypto_sign_ed25519_seed_keypair");
    }

    /// <summary>Signs <paramref name="message"/> with a 64-byte Ed25519 secret key.</summary>
    public static void Ed25519Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> secretKey, Span<byte> signature)
    {
        SodiumBuffers.RequireLength(secretKey, Ed25519SecretKeyBytes, nameof(secretKey));
        SodiumBuffers.RequireLength(signature, Ed25519SignatureBytes, nameof(signature));
        EnsureInitialized();
        Check(SodiumNative.Ed25519SignDetached(
            ref MemoryMarshal.GetReference(signature), out _,
            ref MemoryMarshal.GetReference(message), (ulong)message.Length,
            ref MemoryMarshal.GetReference(secretKey)), "crypto_sign_ed25519_detached");
    }

    /// <summary>True when <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    public static bool Ed25519Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != Ed25519SignatureBytes || publicKey.Length != Ed25519PublicKeyBytes)
        {
            return false;
        }

        EnsureInitialized();
        return SodiumNative.Ed25519VerifyDetached(
            ref MemoryMarshal.GetReference(signature),
            ref MemoryMarshal.GetReference(message), (ulong)message.Length,
            ref MemoryMarshal.GetReference(publicKey)) == 0;
    }

    /// <summary>
    /// The X25519 public key of the same secret as an Ed25519 public key; false when the input is
    /// not a valid Ed25519 point (so it cannot be anybody's device key).
    /// </summary>
    public static bool Ed25519PublicKeyToX25519(ReadOnlySpan<byte> edPublicKey, Span<byte> x25519PublicKey)
    {
        SodiumBuffers.RequireLength(edPublicKey, Ed25519PublicKeyBytes, nameof(edPublicKey));
        SodiumBuffers.RequireLength(x25519PublicKey, X25519KeyBytes, nameof(x25519PublicKey));
        EnsureInitialized();
        return SodiumNative.Ed25519PublicKeyToCurve25519(
            ref MemoryMarshal.GetReference(x25519PublicKey),
            ref MemoryMarshal.GetReference(edPublicKey)) == 0;
    }

    /// <summary>The X25519 secret key matching a 64-byte Ed25519 secret key.</summary>
    public static void Ed25519SecretKeyToX25519(ReadOnlySpan<byte> edSecretKey, Span<byte> x25519SecretKey)
    {
        SodiumBuffers.RequireLength(edSecretKey, Ed25519SecretKeyBytes, nameof(edSecretKey));
        SodiumBuffers.RequireLength(x25519SecretKey, X25519KeyBytes, nameof(x25519SecretKey));
        EnsureInitialized();
        Check(SodiumNative.Ed25519SecretKeyToCurve25519(
            ref MemoryMarshal.GetReference(x25519SecretKey),
            ref MemoryMarshal.GetReference(edSecretKey)), "crypto_sign_ed25519_sk_to_curve25519");
    }

    /// <summary>
    /// X25519 Diffie-Hellman. False when the result is all zeros (the peer sent a low-order point),
    /// which a handshake must treat as an attack, not as a key.
    /// </summary>
    public static bool X25519(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        SodiumBuffers.RequireLength(secretKey, X25519KeyBytes, nameof(secretKey));
        SodiumBuffers.RequireLength(publicKey, X25519KeyBytes, nameof(publicKey));
        SodiumBuffers.RequireLength(sharedSecret, X25519KeyBytes, nameof(sharedSecret));
        EnsureInitialized();
        return SodiumNative.ScalarMult(
            ref MemoryMarshal.GetReference(sharedSecret),
            ref MemoryMarshal.GetReference(secretKey),
            ref MemoryMarshal.GetReference(publicKey)) == 0;
    }

    /// <summary>The X25519 public key of <paramref name="secretKey"/>.</summary>
    public static void X25519PublicKey(ReadOnlySpan<byte> secretKey, Span<byte> publicKey)
    {
        SodiumBuffers.RequireLength(secretKey, X25519KeyBytes, nameof(secretKey));
        SodiumBuffers.RequireLength(publicKey, X25519KeyBytes, nameof(publicKey));
        EnsureInitialized();
        Check(SodiumNative.ScalarMultBase(
            ref MemoryMarshal.GetReference(publicKey),
            ref MemoryMarshal.GetReference(secretKey)), "crypto_scalarmult_curve25519_base");
    }

    /// <summary>ChaCha20-Poly1305 (IETF, 96-bit nonce); <paramref name="ciphertext"/> is plaintext length + 16.</summary>
    public static void ChaCha20Poly1305Encrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> additionalData,
        ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        SodiumBuffers.RequireLength(key, ChaChaPolyKeyBytes, nameof(key));
        SodiumBuffers.RequireLength(nonce, ChaChaPolyNonceBytes, nameof(nonce));
        SodiumBuffers.RequireLength(ciphertext, plaintext.Length + ChaChaPolyTagBytes, nameof(ciphertext));
        EnsureInitialized();
        Check(SodiumNative.ChaCha20Poly1305IetfEncrypt(
            ref MemoryMarshal.GetReference(ciphertext), out _,
            ref MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            ref MemoryMarshal.GetReference(additionalData), (ulong)additionalData.Length,
            0,
            ref MemoryMarshal.GetReference(nonce),
            ref MemoryMarshal.GetReference(key)), "crypto_aead_chacha20poly1305_ietf_encrypt");
    }

    /// <summary>Authenticates and decrypts; false (and <paramref name="plaintext"/> zeroed) when the tag does not verify.</summary>
    public static bool ChaCha20Poly1305Decrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> additionalData,
        ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        SodiumBuffers.RequireLength(key, ChaChaPolyKeyBytes, nameof(key));
        SodiumBuffers.RequireLength(nonce, ChaChaPolyNonceBytes, nameof(nonce));
        if (ciphertext.Length < ChaChaPolyTagBytes)
        {
            return false;
        }

        SodiumBuffers.RequireLength(plaintext, ciphertext.Length - ChaChaPolyTagBytes, nameof(plaintext));
        EnsureInitialized();
        var ok = SodiumNative.ChaCha20Poly1305IetfDecrypt(
            ref MemoryMarshal.GetReference(plaintext), out _,
            0,
            ref MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            ref MemoryMarshal.GetReference(additionalData), (ulong)additionalData.Length,
            ref MemoryMarshal.GetReference(nonce),
            ref MemoryMarshal.GetReference(key)) == 0;
        if (!ok)
        {
            plaintext.Clear();
        }

        return ok;
    }

    /// <summary>BLAKE2b of <paramref name="input"/> (optionally keyed) into <paramref name="output"/> (1..64 bytes).</summary>
    public static void Blake2b(Span<byte> output, ReadOnlySpan<byte> input, ReadOnlySpan<byte> key = default)
    {
        if (output.Length is < 1 or > Blake2bMaxBytes)
        {
            throw new ArgumentException($"BLAKE2b output is 1..{Blake2bMaxBytes} bytes, not {output.Length}.", nameof(output));
        }

        if (key.Length > Blake2bMaxKeyBytes)
        {
            throw new ArgumentException($"A BLAKE2b key is at most {Blake2bMaxKeyBytes} bytes, not {key.Length}.", nameof(key));
        }

        EnsureInitialized();
        Check(SodiumNative.Blake2b(
            ref MemoryMarshal.GetReference(output), (nuint)output.Length,
            ref MemoryMarshal.GetReference(input), (ulong)input.Length,
            ref MemoryMarshal.GetReference(key), (nuint)key.Length), "crypto_generichash_blake2b");
    }

    private static Exception? Initialize()
    {
        try
        {
            // 0 = initialised now, 1 = already initialised, -1 = failure (e.g. no entropy source).
            return SodiumNative.SodiumInit() < 0
                ? new InvalidOperationException("sodium_init() failed")
                : null;
        }
        catch (DllNotFoundException ex)
        {
            return ex;
        }
        catch (EntryPointNotFoundException ex)
        {
            return ex;
        }
    }

    private static void Check(int result, string function)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"libsodium {function} failed ({result}).");
        }
    }
}
