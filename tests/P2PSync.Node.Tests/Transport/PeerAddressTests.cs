using P2PSync.Node.Transport.Tcp;

namespace P2PSync.Node.Tests.Transport;

public sealed class PeerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:7420", "127.0.0.1", 7420)]
    [InlineData("laptop.local:1", "laptop.local", 1)]
    [InlineData("[::1]:65535", "::1", 65535)]
    public void Parse_AcceptsHostPort(string text, string host, int port)
    {
        var address = PeerAddress.Parse(text);

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData(":80")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("host:8o")]
    [InlineData("::1:80")]
    [InlineData("[]:80")]
    public void Parse_RejectsBadInputWithFormatException(string text)
    {
        var ex = Assert.Throws<FormatException>(() => PeerAddress.Parse(text));
        Assert.NotEmpty(ex.Message);
    }
}
