using P2PSync.Node.Crypto;

namespace P2PSync.Node.Tests.Crypto;

/// <summary>Subkeys from one master key: libsodium's known answers, determinism, and separation by context and id.</summary>
public sealed class SubkeyDerivationTests
{
    private static readonly byte[] LibsodiumMasterKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Theory]
    // libsodium test/default/kdf.c (master key 00..1f, context "KDF test") with outputs from kdf.exp.
    [InlineData(0UL, "a0c724404728c8bb95e5433eb6a9716171144d61efb23e74b873fcbeda51d8071b5d70aae12066dfc94ce943f145aa176c055040c3dd73b0a15e36254d450614")]
    [InlineData(1UL, "02507f144fa9bf19010bf7c70b235b4c2663cc00e074f929602a5e2c10a780757d2a3993d06debc378a90efdac196dd841817b977d67b786804f6d3cd585bab5")]
    [InlineData(16UL, "a529216624ef9161e4cf117272aafff2")]
    [InlineData(17UL, "068bd6940b80c6cc2530a68c31d9f4e323")]
    public void MatchesLibsodiumKnownAnswers(ulong subkeyId, string expectedHex)
    {
        var subkey = new byte[expectedHex.Length / 2];
        SubkeyDerivation.Derive(LibsodiumMasterKey, "KDF test"u8, subkeyId, subkey);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(subkey));
    }

    [Fact]
    public void DeterministicAndSeparatedByContextIdAndMasterKey()
    {
        var master = new byte[32];
        new Random(90).NextBytes(master);
        var atRest = Derive(master, "p2pAtRst"u8, 1);
        Assert.Equal(atRest, Derive(master, "p2pAtRst"u8, 1));

        var others = new[]
        {
            Derive(master, "p2pAtRsu"u8, 1),
            Derive(master, "p2pExprt"u8, 1),
            Derive(master, "p2pAtRst"u8, 0),
            Derive(master, "p2pAtRst"u8, 2),
            Derive(master, "p2pAtRst"u8, ulong.MaxValue),
            Derive(Flipped(master, 0), "p2pAtRst"u8, 1),
            Derive(Flipped(master, 31), "p2pAtRst"u8, 1),
        };
        Assert.All(others, other => Assert.NotEqual(atRest, other));
        Assert.Equal(others.Length, others.Select(Convert.ToHexString).Distinct().Count());
        Assert.False(master.AsSpan().SequenceEqual(atRest), "a subkey must not be the master key");
    }

    [Fact]
    public void WrongSizesAreArgumentErrors()
    {
        var master = new byte[32];
        Assert.Throws<ArgumentException>(() => SubkeyDerivation.Derive(new byte[31], "p2pAtRst"u8, 0, new byte[32]));
        Assert.Throws<ArgumentException>(() => SubkeyDerivation.Derive(master, "p2pAtRs"u8, 0, new byte[32]));
        Assert.Throws<ArgumentException>(() => SubkeyDerivation.Derive(master, "p2pAtRest"u8, 0, new byte[32]));
        Assert.Throws<ArgumentException>(() => SubkeyDerivation.Derive(master, "p2pAtRst"u8, 0, new byte[15]));
        Assert.Throws<ArgumentException>(() => SubkeyDerivation.Derive(master, "p2pAtRst"u8, 0, new byte[65]));
        Assert.Throws<ArgumentException>(() => SubkeyDerivation.Derive(master, "p2pAtRst"u8, 0, master.AsSpan(0, 32)));
    }

    private static byte[] Derive(byte[] master, ReadOnlySpan<byte> context, ulong id)
    {
        var subkey = new byte[32];
        SubkeyDerivation.Derive(master, context, id, subkey);
        return subkey;
    }

    private static byte[] Flipped(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 1;
        return copy;
    }
}
