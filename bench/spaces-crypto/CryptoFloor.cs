using System.Runtime.InteropServices;
using P2PSync.Node.Crypto;

namespace P2PSync.SpacesCryptoBench;

/// <summary>
/// The floor: the two libsodium calls any sign-then-encrypt design must make, called directly on
/// preallocated buffers. Seal = random nonce + crypto_sign_detached(payload) +
/// crypto_aead_xchacha20poly1305_ietf_encrypt(payload || signature); open = decrypt + verify.
/// </summary>
internal sealed class CryptoFloor
{
    private readonly byte[] _payload;
    private readonly byte[] _secretKey = new byte[Sodium.Ed25519SecretKeyBytes];
    private readonly byte[] _publicKey = new byte[Sodium.Ed25519PublicKeyBytes];
    private readonly byte[] _key = new byte[XChaCha20Poly1305.KeyBytes];
    private readonly byte[] _nonce = new byte[XChaCha20Poly1305.NonceBytes];
    private readonly byte[] _plain;
    private readonly byte[] _cipher;
    private readonly byte[] _opened;

    public CryptoFloor(byte[] payload, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> key)
    {
        _payload = payload;
        Sodium.Ed25519KeypairFromSeed(seed, _publicKey, _secretKey);
        key.CopyTo(_key);
        _plain = new byte[payload.Length + Sodium.Ed25519SignatureBytes];
        payload.CopyTo(_plain, 0);
        _cipher = new byte[_plain.Length + XChaCha20Poly1305.TagBytes];
        _opened = new byte[_plain.Length];
    }

    public void Seal()
    {
        SodiumNative.RandomBytesBuf(ref _nonce[0], (nuint)_nonce.Length);
        SodiumNative.Ed25519SignDetached(
            ref _plain[_payload.Length], out _, ref MemoryMarshal.GetArrayDataReference(_payload), (ulong)_payload.Length, ref _secretKey[0]);
        SodiumNative.XChaCha20Poly1305IetfEncrypt(
            ref _cipher[0], out _, ref _plain[0], (ulong)_plain.Length, ref _nonce[0], 0, 0, ref _nonce[0], ref _key[0]);
    }

    public void Open()
    {
        if (SodiumNative.XChaCha20Poly1305IetfDecrypt(
                ref _opened[0], out _, 0, ref _cipher[0], (ulong)_cipher.Length, ref _nonce[0], 0, ref _nonce[0], ref _key[0]) != 0
            || SodiumNative.Ed25519VerifyDetached(
                ref _opened[_payload.Length], ref _opened[0], (ulong)_payload.Length, ref _publicKey[0]) != 0)
        {
            throw new InvalidOperationException("The floor's own envelope did not open.");
        }
    }
}
