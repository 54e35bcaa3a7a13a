using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

/// <summary>`up --webrtc-bind` takes IP addresses only, and says which argument was wrong.</summary>
public sealed class WebRtcUpOptionTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("")]
    public async Task Up_RefusesABindThatIsNotAnAddress(string bind)
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path, "--port", "0", "--no-mdns", "--webrtc-bind", bind);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--webrtc-bind takes an IP address", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }
}
