using P2PSync.Node.Crypto;

namespace P2PSync.Node.Tests.Crypto;

/// <summary>Passphrase key derivation: libsodium's own known answers, determinism, and every input mattering.</summary>
public sealed class Argon2idTests
{
    // Cheap enough for unit tests; the real defaults are Interactive/Moderate.
    private static readonly Argon2idCost Cheap = new(1, Argon2idCost.MinMemLimitBytes * 8);

    [Theory]
    // libsodium test/default/pwhash_argon2id.c tv() cases 4 and 6 with their outputs from pwhash_argon2id.exp
    // (the salt is the first 16 bytes of the hex there, as sodium_hex2bin fills a 16-byte buffer).
    [InlineData(
        "4a857e2ee8aa9b6056f2424e84d24a72473378906ee04a46cb05311502d5250b82ad86b83c8f20a23dbb74f6da60b0b6ecffd67134d45946ac8ebfb3064294bc097d43ced68642bfb8bbbdd0f50b30118f5e",
        "39d82eef32010b8b79cc5ba88ed539fb", 3UL, 1432947L,
        "08d8cd330c57e1b4643241d05bb468ba4ee4e932cd0858816be9ef15360b27bbd06a87130ee92222be267a29b81f5ae8fe8613324cfc4832dc49387fd0602f1c57b4d0f3855db94fb7e12eb05f9a484aed4a4307abf586cd3d55c809bc081541e00b682772fb2066504ff935b8ebc551a2083882f874bc0fae68e56848ae34c91097c3bf0cca8e75c0797eef3efde3f75e005815018db3cf7c109a812264c4de69dcb22322dbbcfa447f5b00ecd1b04a7be1569c8e556adb7bba48adf81d")]
    [InlineData(
        "b540beb016a5366524d4605156493f9874514a5aa58818cd0c6dfffaa9e90205f17b",
        "44071f6d181561670bda728d43fb79b4", 1UL, 1631659L,
        "7fb72409b0987f8190c3729710e98c3f80c5a8727d425fdcde7f3644d467fe973f5b5fee683bd3fce812cb9ae5e9921a2d06c2f1905e4e839692f2b934b682f11a2fe2b90482ea5dd234863516dba6f52dc0702d324ec77d860c2e181f84472bd7104fedce071ffa93c5309494ad51623d214447a7b2b1462dc7d5d55a1f6fd5b54ce024118d86f0c6489d16545aaa87b6689dad9f2fb47fda9894f8e12b87d978b483ccd4cc5fd9595cdc7a818452f915ce2f7df95ec12b1c72e3788d473441d884f9748eb14703c21b45d82fd667b85f5b2d98c13303b3fe76285531a826b6fc0fe8e3dddecf")]
    public void MatchesLibsodiumKnownAnswers(string passwordHex, string saltHex, ulong opsLimit, long memLimit, string expectedHex)
    {
        var key = new byte[expectedHex.Length / 2];
        Argon2id.DeriveKey(Convert.FromHexString(passwordHex), Convert.FromHexString(saltHex), new Argon2idCost(opsLimit, memLimit), key);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(key));
    }

    [Fact]
    public void SameInputsGiveTheSameKeyAndEveryInputMatters()
    {
        var salt = new byte[16];
        new Random(80).NextBytes(salt);
        var key = Derive("correct horse"u8, salt, Cheap);
        Assert.Equal(key, Derive("correct horse"u8, salt, Cheap));

        var otherSalt = (byte[])salt.Clone();
        otherSalt[15] ^= 1;
        Assert.NotEqual(key, Derive("correct horse"u8, otherSalt, Cheap));
        Assert.NotEqual(key, Derive("correct horsf"u8, salt, Cheap));
        Assert.NotEqual(key, Derive("correct horse "u8, salt, Cheap));
        Assert.NotEqual(key, Derive(""u8, salt, Cheap));
        Assert.NotEqual(key, Derive("correct horse"u8, salt, new Argon2idCost(2, Cheap.MemLimitBytes)));
        Assert.NotEqual(key, Derive("correct horse"u8, salt, new Argon2idCost(1, Cheap.MemLimitBytes * 2)));
    }

    [Fact]
    public void ExposedConstantsAreLibsodiums()
    {
        Sodium.EnsureInitialized();
        Assert.Equal((nuint)Argon2idCost.InteractiveOpsLimit, SodiumNative.Argon2idOpsLimitInteractive());
        Assert.Equal((nuint)Argon2idCost.InteractiveMemLimitBytes, SodiumNative.Argon2idMemLimitInteractive());
        Assert.Equal((nuint)Argon2idCost.ModerateOpsLimit, SodiumNative.Argon2idOpsLimitModerate());
        Assert.Equal((nuint)Argon2idCost.ModerateMemLimitBytes, SodiumNative.Argon2idMemLimitModerate());
        Assert.Equal(2, SodiumNative.Argon2idAlgorithm());
        Assert.Equal(new Argon2idCost(2, 64L << 20), Argon2idCost.Interactive);
        Assert.Equal(new Argon2idCost(3, 256L << 20), Argon2idCost.Moderate);
    }

    [Fact]
    public void OutOfRangeCostsAndBadBuffersAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2idCost(0, 1 << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2idCost((ulong)uint.MaxValue + 1, 1 << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2idCost(1, 8191));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2idCost(1, Argon2idCost.MaxMemLimitBytes + 1));

        var salt = new byte[16];
        Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, new byte[15], Cheap, new byte[32]));
        Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, new byte[17], Cheap, new byte[32]));
        Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, salt, Cheap, new byte[15]));
        Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, salt, default, new byte[32]));
        Assert.Throws<ArgumentException>(() =>
        {
            var shared = new byte[40];
            Argon2id.DeriveKey(shared.AsSpan(0, 8), shared.AsSpan(8, 16), Cheap, shared.AsSpan(4, 32));
        });
    }

    [FactUnlessMemoryOvercommits]
    public void AnUnaffordableMemoryLimitIsATypedError()
    {
        // Within libsodium's bounds but far beyond any test machine: the allocation fails cleanly.
        var key = new byte[32];
        key.AsSpan().Fill(0xAA);
        var ex = Assert.Throws<PasswordHashingFailedException>(() => Argon2id.DeriveKey("pw"u8, new byte[16], new Argon2idCost(1, Argon2idCost.MaxMemLimitBytes), key));
        Assert.Contains("Argon2id", ex.Message);
        Assert.All(key, b => Assert.Equal(0, b));
    }

    private static byte[] Derive(ReadOnlySpan<byte> password, byte[] salt, Argon2idCost cost)
    {
        var key = new byte[32];
        Argon2id.DeriveKey(password, salt, cost, key);
        return key;
    }
}
