using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

/// <summary>`up --webrtc-bind` takes IP addresses only and `--stun` IP:PORT only, and each says which argument was wrong.</summary>
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

    [Theory]
    [InlineData("stun.example.org:3478")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("")]
    public async Task Up_RefusesAStunServerThatIsNotAnIpAndPort(string stun)
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path, "--port", "0", "--no-mdns", "--stun", stun);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--stun takes IP:PORT", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }
}
