using P2PSync.Node.Crypto;

namespace P2PSync.Node.Tests.Crypto;

/// <summary>The binding against published known-answer tests, so a wrong signature or swapped argument shows.</summary>
public sealed class SodiumTests
{
    [Fact]
    public void Ed25519MatchesRfc8032TestOne()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var publicKey = new byte[32];
        var secretKey = new byte[64];
        Sodium.Ed25519KeypairFromSeed(seed, publicKey, secretKey);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(publicKey));

        var signature = new byte[64];
        Sodium.Ed25519Sign([], secretKey, signature);
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(signature));
        Assert.True(Sodium.Ed25519Verify(signature, [], publicKey));
    }

    [Fact]
    public void Ed25519VerifyRejectsAnyFlippedBit()
    {
        var random = new Random(11);
        var seed = new byte[32];
        random.NextBytes(seed);
        var publicKey = new byte[32];
        var secretKey = new byte[64];
        Sodium.Ed25519KeypairFromSeed(seed, publicKey, secretKey);
        var message = new byte[100];
        random.NextBytes(message);
        var signature = new byte[64];
        Sodium.Ed25519Sign(message, secretKey, signature);

        for (var bit = 0; bit < 64 * 8; bit++)
        {
            var bad = (byte[])signature.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Sodium.Ed25519Verify(bad, message, publicKey));
        }

        message[0] ^= 1;
        Assert.False(Sodium.Ed25519Verify(signature, message, publicKey));
        Assert.False(Sodium.Ed25519Verify(signature.AsSpan(1), message, publicKey));
    }

    [Fact]
    public void X25519MatchesRfc7748()
    {
        var alice = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bob = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePublic = new byte[32];
        var bobPublic = new byte[32];
        Sodium.X25519PublicKey(alice, alicePublic);
        Sodium.X25519PublicKey(bob, bobPublic);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePublic));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPublic));

        var shared1 = new byte[32];
        var shared2 = new byte[32];
        Assert.True(Sodium.X25519(alice, bobPublic, shared1));
        Assert.True(Sodium.X25519(bob, alicePublic, shared2));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(shared1));
        Assert.Equal(shared1, shared2);
    }

    [Fact]
    public void X25519RefusesALowOrderPoint()
    {
        var secret = new byte[32];
        new Random(3).NextBytes(secret);
        Assert.False(Sodium.X25519(secret, new byte[32], new byte[32]));
    }

    [Fact]
    public void Ed25519KeysConvertToMatchingX25519Keys()
    {
        var seed = new byte[32];
        new Random(5).NextBytes(seed);
        var edPublic = new byte[32];
        var edSecret = new byte[64];
        Sodium.Ed25519KeypairFromSeed(seed, edPublic, edSecret);

        var xSecret = new byte[32];
        var xPublicFromSecret = new byte[32];
        var xPublicConverted = new byte[32];
        Sodium.Ed25519SecretKeyToX25519(edSecret, xSecret);
        Sodium.X25519PublicKey(xSecret, xPublicFromSecret);
        Assert.True(Sodium.Ed25519PublicKeyToX25519(edPublic, xPublicConverted));
        Assert.Equal(xPublicFromSecret, xPublicConverted);
    }

    [Fact]
    public void Blake2bMatchesRfc7693()
    {
        var output = new byte[64];
        Sodium.Blake2b(output, "abc"u8);
        Assert.Equal(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            Convert.ToHexStringLower(output));
    }

    [Fact]
    public void ChaCha20Poly1305MatchesRfc8439Section282()
    {
        var key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var nonce = Convert.FromHexString("070000004041424344454647");
        var ad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8.ToArray();
        var ciphertext = new byte[plaintext.Length + 16];
        Sodium.ChaCha20Poly1305Encrypt(key, nonce, ad, plaintext, ciphertext);
        Assert.Equal("1ae10b594f09e26a7e902ecbd0600691", Convert.ToHexStringLower(ciphertext.AsSpan(plaintext.Length)));
        Assert.Equal("d31a8d34648e60db7b86afbc53ef7ec2", Convert.ToHexStringLower(ciphertext.AsSpan(0, 16)));

        var decrypted = new byte[plaintext.Length];
        Assert.True(Sodium.ChaCha20Poly1305Decrypt(key, nonce, ad, ciphertext, decrypted));
        Assert.Equal(plaintext, decrypted);

        ciphertext[5] ^= 0x80;
        Assert.False(Sodium.ChaCha20Poly1305Decrypt(key, nonce, ad, ciphertext, decrypted));
        Assert.All(decrypted, b => Assert.Equal(0, b));
        Assert.False(Sodium.ChaCha20Poly1305Decrypt(key, nonce, ad, new byte[15], []));
    }

    [Fact]
    public void RandomBytesAreNotAllZero()
    {
        var a = new byte[32];
        var b = new byte[32];
        Sodium.RandomBytes(a);
        Sodium.RandomBytes(b);
        Assert.NotEqual(new byte[32], a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void WrongBufferSizesAreArgumentErrorsNotMemoryCorruption()
    {
        Assert.Throws<ArgumentException>(() => Sodium.Ed25519KeypairFromSeed(new byte[31], new byte[32], new byte[64]));
        Assert.Throws<ArgumentException>(() => Sodium.Ed25519Sign([], new byte[32], new byte[64]));
        Assert.Throws<ArgumentException>(() => Sodium.X25519(new byte[32], new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>(() => Sodium.ChaCha20Poly1305Encrypt(new byte[32], new byte[12], [], new byte[4], new byte[4]));
        Assert.Throws<ArgumentException>(() => Sodium.Blake2b(new byte[65], []));
        Assert.Throws<ArgumentException>(() => Sodium.Blake2b([], []));
    }

    [Fact]
    public void UnavailableErrorNamesTheDebianPackage()
    {
        var ex = new SodiumUnavailableException(new DllNotFoundException("libsodium.so.23"));
        Assert.Contains("libsodium23", ex.Message, StringComparison.Ordinal);
        Assert.Contains("libsodium23", new SodiumUnavailableException("detail").Message, StringComparison.Ordinal);
    }
}
