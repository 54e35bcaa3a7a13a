using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

public sealed class DnsNameTests
{
    [Fact]
    public void ParseSplitsOnDotsAndAcceptsATrailingDot()
    {
        var name = DnsName.Parse("Desk._p2psync._tcp.local.");
        Assert.Equal(["Desk", "_p2psync", "_tcp", "local"], name.Labels);
        Assert.Equal("Desk._p2psync._tcp.local", name.ToString());
        Assert.Equal(1 + 5 + 9 + 5 + 6, name.WireLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    public void EmptyTextIsTheRoot(string text)
    {
        Assert.True(DnsName.Parse(text).IsRoot);
        Assert.Equal(".", DnsName.Parse(text).ToString());
        Assert.Equal(1, DnsName.Root.WireLength);
    }

    [Fact]
    public void EqualityIgnoresAsciiCaseOnly()
    {
        Assert.Equal(DnsName.Parse("DESK._P2PSYNC._tcp.LOCAL"), DnsName.Parse("desk._p2psync._TCP.local"));
        Assert.Equal(DnsName.Parse("DESK.local").GetHashCode(), DnsName.Parse("desk.LOCAL").GetHashCode());
        // RFC 6762 §16: non-ASCII letters are compared exactly.
        Assert.NotEqual(DnsName.Parse("É.local"), DnsName.Parse("é.local"));
        Assert.NotEqual(DnsName.FromLabels("a.b", "local"), DnsName.Parse("a.b.local"));
        Assert.True(DnsName.Parse("a.local") == DnsName.Parse("A.LOCAL"));
    }

    [Fact]
    public void PrependAndSubdomain()
    {
        var service = DnsName.Parse("_p2psync._tcp.local");
        var instance = service.Prepend("Living.Room (2)");
        Assert.Equal(["Living.Room (2)", "_p2psync", "_tcp", "local"], instance.Labels);
        Assert.True(instance.IsSubdomainOf(service));
        Assert.True(instance.IsSubdomainOf(DnsName.Parse("LOCAL")));
        Assert.True(service.IsSubdomainOf(service));
        Assert.True(service.IsSubdomainOf(DnsName.Root));
        Assert.False(service.IsSubdomainOf(instance));
        Assert.False(DnsName.Parse("_p2psync._udp.local").IsSubdomainOf(service));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("..")]
    public void EmptyLabelsAreRefused(string text) => Assert.Throws<DnsFormatException>(() => DnsName.Parse(text));

    [Fact]
    public void LabelLimitCountsUtf8Bytes()
    {
        Assert.Equal(64, DnsName.FromLabels(new string('a', 63)).WireLength - 1);
        Assert.Throws<DnsFormatException>(() => DnsName.FromLabels(new string('a', 64)));
        // 21 three-byte characters = 63 bytes: fine; one more is 66.
        DnsName.FromLabels(new string('日', 21));
        Assert.Throws<DnsFormatException>(() => DnsName.FromLabels(new string('日', 22)));
        Assert.Throws<DnsFormatException>(() => DnsName.FromLabels("\ud800"));
        Assert.Throws<DnsFormatException>(() => DnsName.FromLabels(""));
    }

    [Fact]
    public void NameLimitIs255WireBytes()
    {
        var label = new string('a', 63);
        var longest = DnsName.FromLabels(label, label, label, new string('b', 61));
        Assert.Equal(255, longest.WireLength);
        Assert.Throws<DnsFormatException>(() => longest.Prepend("c"));
        Assert.Throws<DnsFormatException>(() => DnsName.FromLabels(label, label, label, new string('b', 62)));
    }

    [Fact]
    public void FromLabelsCopiesItsInput()
    {
        string[] labels = ["a", "local"];
        var name = DnsName.FromLabels(labels);
        labels[0] = "changed";
        Assert.Equal("a.local", name.ToString());
    }
}
