using P2PSync.Node.Security.Invites;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>Known encodings, aliases, and refusal of texts that no byte string encodes to.</summary>
public sealed class CrockfordBase32Tests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("66", "CR")]
    [InlineData("FFFFFFFFFF", "ZZZZZZZZ")]
    [InlineData("0000000000", "00000000")]
    [InlineData("48656C6C6F", "91JPRV3F")]
    public void EncodesKnownVectors(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(expected, CrockfordBase32.Encode(bytes));
        Assert.Equal(expected.Length, CrockfordBase32.SymbolCount(bytes.Length));

        var values = expected.Select(c => (byte)CrockfordBase32.ValueOf(c)).ToArray();
        var packed = new byte[values.Length * 5 / 8];
        Assert.True(CrockfordBase32.TryPack(values, packed, out var written));
        Assert.Equal(bytes, packed[..written]);
    }

    [Fact]
    public void ReadsCaseAndAliasesAndRefusesOthers()
    {
        Assert.Equal(0, CrockfordBase32.ValueOf('o'));
        Assert.Equal(1, CrockfordBase32.ValueOf('i'));
        Assert.Equal(1, CrockfordBase32.ValueOf('L'));
        Assert.Equal(31, CrockfordBase32.ValueOf('z'));
        Assert.Equal(-1, CrockfordBase32.ValueOf('U'));
        Assert.Equal(-1, CrockfordBase32.ValueOf('-'));
    }

    [Fact]
    public void RefusesPaddingBitsAndDanglingSymbols()
    {
        var packed = new byte[2];
        Assert.False(CrockfordBase32.TryPack([12, 25], packed, out _)); // "CS": low 2 bits set
        Assert.False(CrockfordBase32.TryPack([12, 24, 0], packed, out _)); // a third symbol adds no whole byte
    }
}
