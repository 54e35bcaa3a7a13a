using System.Text;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

public sealed class TxtDataTests
{
    [Fact]
    public void FromPairsWritesKeyEqualsValueInOrder()
    {
        var txt = TxtData.FromPairs([new("txtvers", "1"), new("id", "ABC"), new("name", "Büro")]);
        Assert.Equal(["txtvers=1", "id=ABC", "name=Büro"], txt.Strings.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void TryGetIgnoresKeyCaseAndTheFirstOccurrenceWins()
    {
        var txt = new TxtData([Bytes("ID=first"), Bytes("id=second"), Bytes("flag"), Bytes("=nokey"), Bytes("empty=")]);
        Assert.True(txt.TryGet("id", out var id));
        Assert.Equal("first", id);
        Assert.True(txt.TryGet("FLAG", out var flag));
        Assert.Equal("", flag);
        Assert.True(txt.TryGet("empty", out var empty));
        Assert.Equal("", empty);
        Assert.False(txt.TryGet("missing", out _));
        Assert.False(txt.TryGet("", out _));
        var all = txt.ToDictionary();
        Assert.Equal(3, all.Count);
        Assert.Equal("first", all["Id"]);
    }

    [Fact]
    public void EmptyListIsOneZeroLengthString()
    {
        var empty = new TxtData([]);
        Assert.Equal([[]], empty.Strings);
        Assert.Equal(empty, TxtData.FromPairs([]));
        Assert.Equal(empty, new TxtData([[]]));
    }

    [Fact]
    public void EqualityIsByValueAndTheRecordIsImmutable()
    {
        var bytes = Bytes("a=1");
        var txt = new TxtData([bytes]);
        Assert.Equal(new TxtData([Bytes("a=1")]), txt);
        Assert.Equal(new TxtData([Bytes("a=1")]).GetHashCode(), txt.GetHashCode());
        Assert.NotEqual(new TxtData([Bytes("a=1"), Bytes("")]), txt);
        bytes[0] = (byte)'b';
        txt.Strings[0][0] = (byte)'c';
        Assert.True(txt.TryGet("a", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("tab\t")]
    [InlineData("é")]
    public void BadKeysAreRefused(string key) =>
        Assert.Throws<DnsFormatException>(() => TxtData.FromPairs([new(key, "v")]));

    [Fact]
    public void StringsOver255BytesAreRefused()
    {
        TxtData.FromPairs([new("k", new string('v', 253))]);
        Assert.Throws<DnsFormatException>(() => TxtData.FromPairs([new("k", new string('v', 254))]));
        Assert.Throws<DnsFormatException>(() => new TxtData([new byte[256]]));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
