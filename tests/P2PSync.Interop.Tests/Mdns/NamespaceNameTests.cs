namespace P2PSync.Interop.Tests.Mdns;

/// <summary>The sweeper deletes only what this harness made; the name parser is what decides that.</summary>
public sealed class NamespaceNameTests
{
    [Theory]
    [InlineData("p2p-1234-ab12cd34-a", 1234, "ab12cd34", 'a')]
    [InlineData("p2p-7-probe1a2b-b (id: 3)", 7, "probe1a2b", 'b')]
    [InlineData("  p2p-99-x-a  ", 99, "x", 'a')]
    public void OurNames_Parse(string line, int pid, string tag, char side)
    {
        Assert.True(NamespaceName.TryParse(line, out var name));
        Assert.Equal(new NamespaceName(pid, tag, side), name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("p2p-1234-ab12-c")]
    [InlineData("p2p-0-ab12-a")]
    [InlineData("p2p--ab12-a")]
    [InlineData("p2p-12a-ab12-a")]
    [InlineData("p2p-1234-AB12-a")]
    [InlineData("p2p-1234--a")]
    [InlineData("p2p-1234-ab12-a-extra")]
    [InlineData("x-p2p-1234-ab12-a")]
    [InlineData("p2p-12345678901-ab12-a")]
    [InlineData("netns-user")]
    public void ForeignNames_AreNotOurs(string line)
    {
        Assert.False(NamespaceName.TryParse(line, out var name));
        Assert.Null(name);
    }

    [Fact]
    public void FormattedNames_RoundTrip_AndNewTagsDiffer()
    {
        var tags = Enumerable.Range(0, 200).Select(_ => NamespaceName.NewTag()).ToList();
        Assert.Equal(tags.Count, tags.Distinct().Count());
        foreach (var tag in tags)
        {
            var name = new NamespaceName(Environment.ProcessId, tag, 'b');
            Assert.True(NamespaceName.TryParse(name.ToString(), out var back));
            Assert.Equal(name, back);
        }
    }
}
