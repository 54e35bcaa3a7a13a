using System.Runtime.InteropServices;

namespace P2PSync.Node.Crypto;

/// <summary>
/// Argon2id (v1.3) password-based key derivation via libsodium <c>crypto_pwhash</c>: turns a
/// user's passphrase into a symmetric key, e.g. to protect a device export.
/// </summary>
internal static class Argon2id
{
    public const int SaltBytes = 16;
    public const int MinKeyBytes = 16;

    // crypto_pwhash_ALG_ARGON2ID13; passed explicitly so a future libsodium default cannot change the derived key.
    private const int AlgorithmArgon2id13 = 2;

    /// <summary>Derives <paramref name="key"/> (at least 16 bytes) from a password and a 16-byte random salt.</summary>
    /// <exception cref="PasswordHashingFailedException">libsodium could not run with this cost (memory).</exception>
    public static void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idCost cost, Span<byte> key)
    {
        SodiumBuffers.RequireLength(salt, SaltBytes, nameof(salt));
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"An Argon2id key is at least {MinKeyBytes} bytes, not {key.Length}.", nameof(key));
        }

        if (cost == default)
        {
            throw new ArgumentException("Argon2id cost is uninitialised; use Argon2idCost.Interactive, .Moderate or the constructor.", nameof(cost));
        }

        SodiumBuffers.RequireSeparate(password, key, nameof(key));
        SodiumBuffers.RequireSeparate(salt, key, nameof(key));
        Sodium.EnsureInitialized();
        var result = SodiumNative.PasswordHash(
            ref MemoryMarshal.GetReference(key), (ulong)key.Length,
            ref MemoryMarshal.GetReference(password), (ulong)password.Length,
            ref MemoryMarshal.GetReference(salt),
            cost.OpsLimit, (nuint)cost.MemLimitBytes, AlgorithmArgon2id13);
        if (result != 0)
        {
            key.Clear();
            throw new PasswordHashingFailedException(cost);
        }
    }
}
