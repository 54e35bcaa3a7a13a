using P2PSync.Node.Tests.Support;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Tests.Crypto;

/// <summary>The space content cipher against the published vector, and every way a forger could alter a message.</summary>
public sealed class XChaCha20Poly1305Tests
{
    // draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305 test vector).
    private static readonly byte[] VectorKey = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static readonly byte[] VectorNonce = Convert.FromHexString("404142434445464748494a4b4c4d4e4f5051525354555657");
    private static readonly byte[] VectorAd = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
    private static readonly byte[] VectorPlaintext = Convert.FromHexString(
        "4c616469657320616e642047656e746c656d656e206f662074686520636c6173" +
        "73206f66202739393a204966204920636f756c64206f6666657220796f75206f" +
        "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73" +
        "637265656e20776f756c642062652069742e");
    private const string VectorCiphertextHex =
        "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb" +
        "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452" +
        "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9" +
        "21f9664c97637da9768812f615c68b13b52e";
    private const string VectorTagHex = "c0875924c1c7987947deafd8780acf49";

    [Fact]
    public void EncryptMatchesDraftAppendixA31()
    {
        var ciphertext = new byte[XChaCha20Poly1305.CiphertextLength(VectorPlaintext.Length)];
        XChaCha20Poly1305.Encrypt(VectorKey, VectorNonce, VectorAd, VectorPlaintext, ciphertext);
        Assert.Equal(VectorCiphertextHex, Convert.ToHexStringLower(ciphertext.AsSpan(0, VectorPlaintext.Length)));
        Assert.Equal(VectorTagHex, Convert.ToHexStringLower(ciphertext.AsSpan(VectorPlaintext.Length)));
    }

    [Fact]
    public void DecryptOpensDraftAppendixA31()
    {
        var ciphertext = Convert.FromHexString(VectorCiphertextHex + VectorTagHex);
        var plaintext = new byte[ciphertext.Length - XChaCha20Poly1305.TagBytes];
        XChaCha20Poly1305.Decrypt(VectorKey, VectorNonce, VectorAd, ciphertext, plaintext);
        Assert.Equal(VectorPlaintext, plaintext);
        Assert.StartsWith("Ladies and Gentlemen", System.Text.Encoding.ASCII.GetString(plaintext));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(30, 5)]
    [InlineData(1024, 40)]
    [InlineData(1 << 20, 0)]
    public void RoundTripsAnyLength(int length, int adLength)
    {
        var random = new Random(length + adLength);
        var (key, nonce) = RandomKeyAndNonce(random);
        var ad = new byte[adLength];
        var plaintext = new byte[length];
        random.NextBytes(ad);
        random.NextBytes(plaintext);

        var ciphertext = new byte[length + XChaCha20Poly1305.TagBytes];
        XChaCha20Poly1305.Encrypt(key, nonce, ad, plaintext, ciphertext);
        var decrypted = new byte[length];
        XChaCha20Poly1305.Decrypt(key, nonce, ad, ciphertext, decrypted);
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void EveryFlippedBitOfCiphertextTagNonceOrAdIsRefused()
    {
        var random = new Random(61);
        var (key, nonce) = RandomKeyAndNonce(random);
        var ad = new byte[13];
        var plaintext = new byte[37];
        random.NextBytes(ad);
        random.NextBytes(plaintext);
        var ciphertext = new byte[plaintext.Length + XChaCha20Poly1305.TagBytes];
        XChaCha20Poly1305.Encrypt(key, nonce, ad, plaintext, ciphertext);
        var output = new byte[plaintext.Length];

        foreach (var (name, original) in new[] { ("ciphertext", ciphertext), ("nonce", nonce), ("ad", ad) })
        {
            for (var bit = 0; bit < original.Length * 8; bit++)
            {
                var bad = (byte[])original.Clone();
                bad[bit / 8] ^= (byte)(1 << (bit % 8));
                DecryptionRefusal.Expect($"{name} bit {bit}", () => XChaCha20Poly1305.Decrypt(
                    key,
                    name == "nonce" ? bad : nonce,
                    name == "ad" ? bad : ad,
                    name == "ciphertext" ? bad : ciphertext,
                    output));
                Assert.All(output, b => Assert.Equal(0, b));
            }
        }
    }

    [Fact]
    public void WrongKeyMissingAdAndExtraAdAreRefused()
    {
        var random = new Random(62);
        var (key, nonce) = RandomKeyAndNonce(random);
        var ciphertext = new byte[10 + XChaCha20Poly1305.TagBytes];
        XChaCha20Poly1305.Encrypt(key, nonce, "space:1"u8, "0123456789"u8, ciphertext);
        var output = new byte[10];

        var otherKey = (byte[])key.Clone();
        otherKey[31] ^= 0x80;
        DecryptionRefusal.Expect("wrong key", () => XChaCha20Poly1305.Decrypt(otherKey, nonce, "space:1"u8, ciphertext, output));
        DecryptionRefusal.Expect("missing ad", () => XChaCha20Poly1305.Decrypt(key, nonce, [], ciphertext, output));
        DecryptionRefusal.Expect("longer ad", () => XChaCha20Poly1305.Decrypt(key, nonce, "space:1 "u8, ciphertext, output));
        XChaCha20Poly1305.Decrypt(key, nonce, "space:1"u8, ciphertext, output);
        Assert.Equal("0123456789"u8.ToArray(), output);
    }

    [Fact]
    public void TruncatedExtendedAndSeededMutatedCiphertextsAreRefused()
    {
        var random = new Random(63);
        var (key, nonce) = RandomKeyAndNonce(random);
        var plaintext = new byte[64];
        random.NextBytes(plaintext);
        var ciphertext = new byte[plaintext.Length + XChaCha20Poly1305.TagBytes];
        XChaCha20Poly1305.Encrypt(key, nonce, [], plaintext, ciphertext);

        for (var length = 0; length < ciphertext.Length; length++)
        {
            var truncated = ciphertext.AsSpan(0, length).ToArray();
            var output = new byte[Math.Max(0, length - XChaCha20Poly1305.TagBytes)];
            DecryptionRefusal.Expect($"truncated to {length}", () => XChaCha20Poly1305.Decrypt(key, nonce, [], truncated, output));
        }

        var extended = ciphertext.Append((byte)0).ToArray();
        DecryptionRefusal.Expect("extended by one byte", () => XChaCha20Poly1305.Decrypt(key, nonce, [], extended, new byte[plaintext.Length + 1]));

        for (var seed = 0; seed < 300; seed++)
        {
            var mutated = ByteMutator.Mutate(ciphertext, new Random(seed));
            var output = new byte[Math.Max(0, mutated.Length - XChaCha20Poly1305.TagBytes)];
            DecryptionRefusal.Expect($"mutation seed {seed}", () => XChaCha20Poly1305.Decrypt(key, nonce, [], mutated, output));
        }
    }

    [Fact]
    public void WrongBufferSizesAreArgumentErrors()
    {
        var key = new byte[32];
        var nonce = new byte[24];
        Assert.Throws<ArgumentException>(() => XChaCha20Poly1305.Encrypt(new byte[31], nonce, [], new byte[4], new byte[20]));
        Assert.Throws<ArgumentException>(() => XChaCha20Poly1305.Encrypt(key, new byte[12], [], new byte[4], new byte[20]));
        Assert.Throws<ArgumentException>(() => XChaCha20Poly1305.Encrypt(key, nonce, [], new byte[4], new byte[19]));
        Assert.Throws<ArgumentException>(() => XChaCha20Poly1305.Decrypt(key, nonce, [], new byte[20], new byte[5]));
        Assert.Throws<ArgumentException>(() => XChaCha20Poly1305.Decrypt(key, new byte[23], [], new byte[20], new byte[4]));
        var shared = new byte[40];
        Assert.Throws<ArgumentException>(() => XChaCha20Poly1305.Encrypt(key, nonce, [], shared.AsSpan(0, 4), shared.AsSpan(2, 20)));
        Assert.Throws<ArgumentOutOfRangeException>(() => XChaCha20Poly1305.CiphertextLength(-1));
    }

    [Fact]
    public void SameMessageUnderFreshNoncesGivesUnrelatedCiphertexts()
    {
        var random = new Random(64);
        var (key, nonce1) = RandomKeyAndNonce(random);
        var (_, nonce2) = RandomKeyAndNonce(random);
        var marker = "MARKER-plaintext-MARKER"u8.ToArray();
        var c1 = new byte[marker.Length + 16];
        var c2 = new byte[marker.Length + 16];
        XChaCha20Poly1305.Encrypt(key, nonce1, [], marker, c1);
        XChaCha20Poly1305.Encrypt(key, nonce2, [], marker, c2);
        Assert.NotEqual(c1, c2);
        Assert.Equal(-1, c1.AsSpan().IndexOf("MARKER"u8));
    }

    private static (byte[] Key, byte[] Nonce) RandomKeyAndNonce(Random random)
    {
        var key = new byte[XChaCha20Poly1305.KeyBytes];
        var nonce = new byte[XChaCha20Poly1305.NonceBytes];
        random.NextBytes(key);
        random.NextBytes(nonce);
        return (key, nonce);
    }
}
