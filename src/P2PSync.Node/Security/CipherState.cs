using System.Buffers.Binary;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security;

/// <summary>
/// Noise CipherState (spec section 5.1) for ChaChaPoly: a 32-byte key and a 64-bit counter nonce.
/// Each message uses the next nonce, so a replayed, dropped or reordered ciphertext fails to
/// authenticate on the receiving side.
/// </summary>
internal sealed class CipherState : IDisposable
{
    public const int TagLength = Sodium.ChaChaPolyTagBytes;

    private byte[]? _key;
    private ulong _nonce;

    /// <summary>A cipher with no key yet: it passes plaintext through unchanged (Noise's "empty k").</summary>
    public CipherState()
    {
    }

    /// <summary>A cipher with <paramref name="key"/> and nonce 0.</summary>
    public CipherState(ReadOnlySpan<byte> key) => InitializeKey(key);

    public bool HasKey => _key is not null;

    /// <summary>The nonce the next message will use (for tests and diagnostics).</summary>
    public ulong Nonce => _nonce;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Sodium.ChaChaPolyKeyBytes)
        {
            throw new ArgumentException($"A ChaChaPoly key is {Sodium.ChaChaPolyKeyBytes} bytes, not {key.Length}.", nameof(key));
        }

        if (_key is not null)
        {
            Sodium.MemZero(_key);
        }

        _key = key.ToArray();
        _nonce = 0;
    }

    /// <summary>Output length of <see cref="EncryptWithAd"/> for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public int CiphertextLength(int plaintextLength) => plaintextLength + (HasKey ? TagLength : 0);

    /// <summary>Encrypts into <paramref name="ciphertext"/> (exactly <see cref="CiphertextLength"/> bytes) and advances the nonce.</summary>
    public void EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        if (_key is null)
        {
            plaintext.CopyTo(ciphertext);
            return;
        }

        Span<byte> nonce = stackalloc byte[Sodium.ChaChaPolyNonceBytes];
        WriteNonce(nonce);
        Sodium.ChaCha20Poly1305Encrypt(_key, nonce, ad, plaintext, ciphertext);
        _nonce++;
    }

    /// <summary>Decrypts and advances the nonce; the nonce stays put when authentication fails.</summary>
    /// <exception cref="ProtocolViolationException">The ciphertext was tampered with, replayed, reordered or is too short.</exception>
    public void DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (_key is null)
        {
            ciphertext.CopyTo(plaintext);
            return;
        }

        if (ciphertext.Length < TagLength)
        {
            throw new ProtocolViolationException($"An encrypted message is at least {TagLength} bytes; got {ciphertext.Length}.");
        }

        Span<byte> nonce = stackalloc byte[Sodium.ChaChaPolyNonceBytes];
        WriteNonce(nonce);
        if (!Sodium.ChaCha20Poly1305Decrypt(_key, nonce, ad, ciphertext, plaintext))
        {
            throw new ProtocolViolationException("A message failed to authenticate (tampered, replayed, reordered or encrypted with another key).");
        }

        _nonce++;
    }

    public void Dispose()
    {
        if (_key is not null)
        {
            Sodium.MemZero(_key);
            _key = null;
        }
    }

    // Noise ChaChaPoly nonce: 32 zero bits then the counter as 64-bit little-endian. The value
    // 2^64-1 is reserved by the spec, so a channel that reaches it must be re-established.
    private void WriteNonce(Span<byte> nonce)
    {
        if (_nonce == ulong.MaxValue)
        {
            throw new ProtocolViolationException("The channel has used up its nonces; it must be re-established.");
        }

        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce);
    }
}
