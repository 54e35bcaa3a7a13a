using System.Runtime.InteropServices;

namespace P2PSync.Node.Crypto;

/// <summary>
/// Derives independent subkeys from one 32-byte master key with libsodium <c>crypto_kdf</c>
/// (keyed BLAKE2b, subkey id as salt, context as personalisation), e.g. the key that encrypts
/// space keys at rest from the device key seed. Different contexts or ids give unrelated keys, so
/// one master key can serve several purposes without one use leaking into another.
/// </summary>
internal static class SubkeyDerivation
{
    public const int MasterKeyBytes = 32;
    public const int ContextBytes = 8;
    public const int MinSubkeyBytes = 16;
    public const int MaxSubkeyBytes = 64;

    /// <summary>
    /// Fills <paramref name="subkey"/> (16..64 bytes) with subkey number <paramref name="subkeyId"/>
    /// of <paramref name="masterKey"/> for <paramref name="context"/>, an 8-byte purpose label such as <c>"p2pAtRst"u8</c>.
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> context, ulong subkeyId, Span<byte> subkey)
    {
        SodiumBuffers.RequireLength(masterKey, MasterKeyBytes, nameof(masterKey));
        SodiumBuffers.RequireLength(context, ContextBytes, nameof(context));
        if (subkey.Length is < MinSubkeyBytes or > MaxSubkeyBytes)
        {
            throw new ArgumentException($"A subkey is {MinSubkeyBytes}..{MaxSubkeyBytes} bytes, not {subkey.Length}.", nameof(subkey));
        }

        SodiumBuffers.RequireSeparate(masterKey, subkey, nameof(subkey));
        Sodium.EnsureInitialized();
        var result = SodiumNative.KdfDeriveFromKey(
            ref MemoryMarshal.GetReference(subkey), (nuint)subkey.Length,
            subkeyId,
            ref MemoryMarshal.GetReference(context),
            ref MemoryMarshal.GetReference(masterKey));
        if (result != 0)
        {
            throw new InvalidOperationException($"libsodium crypto_kdf_derive_from_key failed ({result}).");
        }
    }
}
