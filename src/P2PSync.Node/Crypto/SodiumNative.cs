using System.Runtime.InteropServices;

namespace P2PSync.Node.Crypto;

/// <summary>
/// Raw entry points of libsodium 1.0.18 (Debian <c>libsodium23</c>). Buffers are passed as
/// <c>ref byte</c> to their first element so the generated stubs only pin; lengths travel
/// separately. Callers go through <see cref="Sodium"/>, which checks every length first.
/// </summary>
internal static partial class SodiumNative
{
    private const string Library = "libsodium.so.23";

    [LibraryImport(Library, EntryPoint = "sodium_init")]
    public static partial int SodiumInit();

    [LibraryImport(Library, EntryPoint = "randombytes_buf")]
    public static partial void RandomBytesBuf(ref byte buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "sodium_memzero")]
    public static partial void MemZero(ref byte buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_seed_keypair")]
    public static partial int Ed25519SeedKeypair(ref byte publicKey, ref byte secretKey, ref byte seed);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_detached")]
    public static partial int Ed25519SignDetached(ref byte signature, out ulong signatureLength, ref byte message, ulong messageLength, ref byte secretKey);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_verify_detached")]
    public static partial int Ed25519VerifyDetached(ref byte signature, ref byte message, ulong messageLength, ref byte publicKey);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_pk_to_curve25519")]
    public static partial int Ed25519PublicKeyToCurve25519(ref byte curvePublicKey, ref byte edPublicKey);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_sk_to_curve25519")]
    public static partial int Ed25519SecretKeyToCurve25519(ref byte curveSecretKey, ref byte edSecretKey);

    [LibraryImport(Library, EntryPoint = "crypto_scalarmult_curve25519")]
    public static partial int ScalarMult(ref byte shared, ref byte secretKey, ref byte publicKey);

    [LibraryImport(Library, EntryPoint = "crypto_scalarmult_curve25519_base")]
    public static partial int ScalarMultBase(ref byte publicKey, ref byte secretKey);

    [LibraryImport(Library, EntryPoint = "crypto_aead_chacha20poly1305_ietf_encrypt")]
    public static partial int ChaCha20Poly1305IetfEncrypt(
        ref byte ciphertext, out ulong ciphertextLength,
        ref byte message, ulong messageLength,
        ref byte additionalData, ulong additionalDataLength,
        nint secretNonce, ref byte nonce, ref byte key);

    [LibraryImport(Library, EntryPoint = "crypto_aead_chacha20poly1305_ietf_decrypt")]
    public static partial int ChaCha20Poly1305IetfDecrypt(
        ref byte message, out ulong messageLength,
        nint secretNonce,
        ref byte ciphertext, ulong ciphertextLength,
        ref byte additionalData, ulong additionalDataLength,
        ref byte nonce, ref byte key);

    [LibraryImport(Library, EntryPoint = "crypto_generichash_blake2b")]
    public static partial int Blake2b(ref byte output, nuint outputLength, ref byte input, ulong inputLength, ref byte key, nuint keyLength);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_encrypt")]
    public static partial int XChaCha20Poly1305IetfEncrypt(
        ref byte ciphertext, out ulong ciphertextLength,
        ref byte message, ulong messageLength,
        ref byte additionalData, ulong additionalDataLength,
        nint secretNonce, ref byte nonce, ref byte key);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt")]
    public static partial int XChaCha20Poly1305IetfDecrypt(
        ref byte message, out ulong messageLength,
        nint secretNonce,
        ref byte ciphertext, ulong ciphertextLength,
        ref byte additionalData, ulong additionalDataLength,
        ref byte nonce, ref byte key);

    [LibraryImport(Library, EntryPoint = "crypto_box_seal")]
    public static partial int BoxSeal(ref byte ciphertext, ref byte message, ulong messageLength, ref byte recipientPublicKey);

    [LibraryImport(Library, EntryPoint = "crypto_box_seal_open")]
    public static partial int BoxSealOpen(ref byte message, ref byte ciphertext, ulong ciphertextLength, ref byte recipientPublicKey, ref byte recipientSecretKey);

    [LibraryImport(Library, EntryPoint = "crypto_pwhash")]
    public static partial int PasswordHash(
        ref byte output, ulong outputLength,
        ref byte password, ulong passwordLength,
        ref byte salt, ulong opsLimit, nuint memLimit, int algorithm);

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_opslimit_interactive")]
    public static partial nuint Argon2idOpsLimitInteractive();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_memlimit_interactive")]
    public static partial nuint Argon2idMemLimitInteractive();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_opslimit_moderate")]
    public static partial nuint Argon2idOpsLimitModerate();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_memlimit_moderate")]
    public static partial nuint Argon2idMemLimitModerate();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_alg_argon2id13")]
    public static partial int Argon2idAlgorithm();

    [LibraryImport(Library, EntryPoint = "crypto_kdf_derive_from_key")]
    public static partial int KdfDeriveFromKey(ref byte subkey, nuint subkeyLength, ulong subkeyId, ref byte context, ref byte key);
}
