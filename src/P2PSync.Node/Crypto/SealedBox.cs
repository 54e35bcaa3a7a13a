using System.Runtime.InteropServices;

namespace P2PSync.Node.Crypto;

/// <summary>
/// Anonymous public-key encryption (libsodium <c>crypto_box_seal</c>): anyone can seal to an X25519
/// public key, only the holder of its secret key can open. Used to wrap a space key to a joining
/// device, whose Ed25519 device key converts to X25519 so no second key pair has to be published.
/// Layout: ephemeral X25519 public key (32) || XSalsa20-Poly1305 box of the message (16 + length).
/// </summary>
internal static class SealedBox
{
    public const int OverheadBytes = 48;

    /// <summary>The sealed length for a message of <paramref name="messageLength"/> bytes.</summary>
    public static int SealedLength(int messageLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messageLength, int.MaxValue - OverheadBytes);
        return messageLength + OverheadBytes;
    }

    /// <summary>Seals <paramref name="message"/> to an X25519 public key; <paramref name="sealedBox"/> is message length + 48.</summary>
    public static void Seal(ReadOnlySpan<byte> message, ReadOnlySpan<byte> recipientPublicKey, Span<byte> sealedBox)
    {
        SodiumBuffers.RequireLength(recipientPublicKey, Sodium.X25519KeyBytes, nameof(recipientPublicKey));
        SodiumBuffers.RequireLength(sealedBox, SealedLength(message.Length), nameof(sealedBox));
        SodiumBuffers.RequireSeparate(message, sealedBox, nameof(sealedBox));
        Sodium.EnsureInitialized();
        var result = SodiumNative.BoxSeal(
            ref MemoryMarshal.GetReference(sealedBox),
            ref MemoryMarshal.GetReference(message), (ulong)message.Length,
            ref MemoryMarshal.GetReference(recipientPublicKey));
        if (result != 0)
        {
            // libsodium refuses when the recipient key gives an all-zero shared secret (low order point).
            throw new InvalidPublicKeyException("the recipient X25519 key is a low-order point");
        }
    }

    /// <summary>Opens a sealed box with the recipient's X25519 key pair into <paramref name="message"/> (sealed length - 48).</summary>
    /// <exception cref="DecryptionFailedException">Not sealed to this key pair, altered, or shorter than the overhead; <paramref name="message"/> is zeroed.</exception>
    public static void Open(
        ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> recipientSecretKey,
        Span<byte> message)
    {
        SodiumBuffers.RequireLength(recipientPublicKey, Sodium.X25519KeyBytes, nameof(recipientPublicKey));
        SodiumBuffers.RequireLength(recipientSecretKey, Sodium.X25519KeyBytes, nameof(recipientSecretKey));
        if (sealedBox.Length < OverheadBytes)
        {
            throw new DecryptionFailedException($"A {sealedBox.Length}-byte sealed box (shorter than its {OverheadBytes}-byte overhead)");
        }

        SodiumBuffers.RequireLength(message, sealedBox.Length - OverheadBytes, nameof(message));
        SodiumBuffers.RequireSeparate(sealedBox, message, nameof(message));
        Sodium.EnsureInitialized();
        var ok = SodiumNative.BoxSealOpen(
            ref MemoryMarshal.GetReference(message),
            ref MemoryMarshal.GetReference(sealedBox), (ulong)sealedBox.Length,
            ref MemoryMarshal.GetReference(recipientPublicKey),
            ref MemoryMarshal.GetReference(recipientSecretKey)) == 0;
        if (!ok)
        {
            message.Clear();
            throw new DecryptionFailedException("A sealed box");
        }
    }

    /// <summary>Seals to a device identified by its Ed25519 public key (its DeviceId bytes).</summary>
    /// <exception cref="InvalidPublicKeyException">The key is not a valid Ed25519 point.</exception>
    public static void SealToDevice(ReadOnlySpan<byte> message, ReadOnlySpan<byte> deviceEd25519PublicKey, Span<byte> sealedBox)
    {
        SodiumBuffers.RequireLength(deviceEd25519PublicKey, Sodium.Ed25519PublicKeyBytes, nameof(deviceEd25519PublicKey));
        Span<byte> recipient = stackalloc byte[Sodium.X25519KeyBytes];
        if (!Sodium.Ed25519PublicKeyToX25519(deviceEd25519PublicKey, recipient))
        {
            throw new InvalidPublicKeyException("the device key is not an Ed25519 point");
        }

        Seal(message, recipient, sealedBox);
    }

    /// <summary>Opens a box sealed to this device, given its 64-byte Ed25519 secret key (seed || public key).</summary>
    /// <exception cref="DecryptionFailedException">Not sealed to this device, or altered.</exception>
    public static void OpenWithDeviceKey(ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> deviceEd25519SecretKey, Span<byte> message)
    {
        SodiumBuffers.RequireLength(deviceEd25519SecretKey, Sodium.Ed25519SecretKeyBytes, nameof(deviceEd25519SecretKey));
        Span<byte> secret = stackalloc byte[Sodium.X25519KeyBytes];
        Span<byte> publicKey = stackalloc byte[Sodium.X25519KeyBytes];
        try
        {
            Sodium.Ed25519SecretKeyToX25519(deviceEd25519SecretKey, secret);
            // Derived from the secret rather than converted from the embedded public half, so a
            // secret key whose halves disagree cannot open with one key and claim another.
            Sodium.X25519PublicKey(secret, publicKey);
            Open(sealedBox, publicKey, secret, message);
        }
        finally
        {
            Sodium.MemZero(secret);
        }
    }
}
