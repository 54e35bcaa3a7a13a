using System.Text;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security;

/// <summary>
/// Noise SymmetricState (spec section 5.2) with HASH = BLAKE2b (64-byte output, 128-byte block):
/// the chaining key <c>ck</c>, the transcript hash <c>h</c>, and the handshake cipher.
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const int HashLength = Sodium.Blake2bMaxBytes;
    private const int BlockLength = 128;

    private readonly byte[] _ck = new byte[HashLength];
    private readonly byte[] _h = new byte[HashLength];
    private readonly CipherState _cipher = new();

    public NoiseSymmetricState(string protocolName)
    {
        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= HashLength)
        {
            name.CopyTo(_h, 0);
        }
        else
        {
            Sodium.Blake2b(_h, name);
        }

        _h.CopyTo(_ck, 0);
    }

    /// <summary>The transcript hash so far; after the handshake, a value both sides share (channel binding).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _h;

    public bool HasKey => _cipher.HasKey;

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output1 = stackalloc byte[HashLength];
        Span<byte> output2 = stackalloc byte[HashLength];
        Hkdf(_ck, inputKeyMaterial, output1, output2);
        output1.CopyTo(_ck);
        _cipher.InitializeKey(output2[..Sodium.ChaChaPolyKeyBytes]);
        output1.Clear();
        output2.Clear();
    }

    public void MixHash(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[HashLength + data.Length];
        _h.CopyTo(buffer, 0);
        data.CopyTo(buffer.AsSpan(HashLength));
        Sodium.Blake2b(_h, buffer);
    }

    /// <summary>Length of <see cref="EncryptAndHash"/>'s output for <paramref name="plaintextLength"/> bytes in.</summary>
    public int CiphertextLength(int plaintextLength) => _cipher.CiphertextLength(plaintextLength);

    public void EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        _cipher.EncryptWithAd(_h, plaintext, ciphertext);
        MixHash(ciphertext);
    }

    /// <exception cref="ProtocolViolationException">Authentication failed.</exception>
    public void DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        _cipher.DecryptWithAd(_h, ciphertext, plaintext);
        MixHash(ciphertext);
    }

    /// <summary>The two transport ciphers: initiator-to-responder first.</summary>
    public (CipherState First, CipherState Second) Split()
    {
        Span<byte> output1 = stackalloc byte[HashLength];
        Span<byte> output2 = stackalloc byte[HashLength];
        Hkdf(_ck, ReadOnlySpan<byte>.Empty, output1, output2);
        var result = (new CipherState(output1[..Sodium.ChaChaPolyKeyBytes]), new CipherState(output2[..Sodium.ChaChaPolyKeyBytes]));
        output1.Clear();
        output2.Clear();
        return result;
    }

    public void Dispose()
    {
        Sodium.MemZero(_ck);
        _cipher.Dispose();
    }

    // HKDF of the Noise spec (section 4.3) with two outputs.
    private static void Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output1, Span<byte> output2)
    {
        Span<byte> tempKey = stackalloc byte[HashLength];
        HmacBlake2b(chainingKey, inputKeyMaterial, tempKey);
        HmacBlake2b(tempKey, [0x01], output1);
        Span<byte> second = stackalloc byte[HashLength + 1];
        output1.CopyTo(second);
        second[HashLength] = 0x02;
        HmacBlake2b(tempKey, second, output2);
        tempKey.Clear();
    }

    // RFC 2104 HMAC over unkeyed BLAKE2b, as Noise requires (not BLAKE2b's own keyed mode).
    private static void HmacBlake2b(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
    {
        Span<byte> paddedKey = stackalloc byte[BlockLength];
        paddedKey.Clear();
        if (key.Length > BlockLength)
        {
            Sodium.Blake2b(paddedKey[..HashLength], key);
        }
        else
        {
            key.CopyTo(paddedKey);
        }

        var inner = new byte[BlockLength + data.Length];
        for (var i = 0; i < BlockLength; i++)
        {
            inner[i] = (byte)(paddedKey[i] ^ 0x36);
        }

        data.CopyTo(inner.AsSpan(BlockLength));
        Span<byte> innerHash = stackalloc byte[HashLength];
        Sodium.Blake2b(innerHash, inner);

        Span<byte> outer = stackalloc byte[BlockLength + HashLength];
        for (var i = 0; i < BlockLength; i++)
        {
            outer[i] = (byte)(paddedKey[i] ^ 0x5c);
        }

        innerHash.CopyTo(outer[BlockLength..]);
        Sodium.Blake2b(output, outer);
        paddedKey.Clear();
        Sodium.MemZero(inner);
    }
}
