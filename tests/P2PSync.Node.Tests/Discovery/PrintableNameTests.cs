using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>Instance names come from any host on the LAN; what we log and print must not carry control characters.</summary>
public sealed class PrintableNameTests
{
    [Theory]
    [InlineData("laptop", "laptop")]
    [InlineData("Zoë's Mac (2)", "Zoë's Mac (2)")]
    [InlineData("evil\u001b[2Jname", "evil\uFFFD[2Jname")]
    [InlineData("forged\nINFO node: line", "forged\uFFFDINFO node: line")]
    [InlineData("\u0000\u007f\u0085", "\uFFFD\uFFFD\uFFFD")]
    public void ControlCharacters_AreReplaced_EverythingElseIsKept(string name, string expected) =>
        Assert.Equal(expected, MdnsDiscovery.Printable(name));
}
