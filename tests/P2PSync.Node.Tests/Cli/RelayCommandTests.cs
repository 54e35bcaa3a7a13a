using System.Net;
using System.Net.Sockets;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary><c>relay add|list|remove</c> on the store and through a running node, and <c>up</c> picking the stored relay.</summary>
public sealed class RelayCommandTests
{
    [Fact]
    public async Task RelayVerbs_AddListRemove_OnTheStore()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        Assert.Equal("added http://127.0.0.1:8787\n", (await CliRun.InvokeAsync(env, "relay", "add", "HTTP://127.0.0.1:8787/", "--data", dir.Path)).Output);
        Assert.Equal("added wss://relay.example/p2p\n", (await CliRun.InvokeAsync(env, "relay", "add", "wss://relay.example/p2p", "--data", dir.Path)).Output);
        Assert.Equal("already stored http://127.0.0.1:8787\n", (await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:8787", "--data", dir.Path)).Output);
        Assert.Equal(
            "http://127.0.0.1:8787\tstored\nwss://relay.example/p2p\tstored\n",
            (await CliRun.InvokeAsync(env, "relay", "list", "--data", dir.Path)).Output);

        Assert.Equal(0, (await CliRun.InvokeAsync(env, "relay", "remove", "http://127.0.0.1:8787", "--data", dir.Path)).ExitCode);
        Assert.Equal("wss://relay.example/p2p\tstored\n", (await CliRun.InvokeAsync(env, "relay", "list", "--data", dir.Path)).Output);
    }

    [Theory]
    [InlineData("add", "relay.example:8787", 2, "invalid relay URL")]
    [InlineData("add", "ftp://relay.example", 2, "scheme is ftp")]
    [InlineData("add", "http://user:pw@relay.example", 2, "user name or password")]
    [InlineData("remove", "http://never.example:1", 1, "no relay http://never.example:1 is stored")]
    [InlineData("remove", "nonsense", 2, "invalid relay URL")]
    public async Task RelayVerbs_Refuse_WithOneClearLine_AndChangeNothing(string verb, string url, int exitCode, string message)
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:8787", "--data", dir.Path);

        var refused = await CliRun.InvokeAsync(env, "relay", verb, url, "--data", dir.Path);

        Assert.Equal(exitCode, refused.ExitCode);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("http://127.0.0.1:8787\tstored\n", (await CliRun.InvokeAsync(env, "relay", "list", "--data", dir.Path)).Output);
    }

    [Fact]
    public async Task RelayVerbs_GoThroughTheRunningNodesApi()
    {
        await using var node = await TestNode.StartAsync();
        var env = CliRun.EmptyEnvironment(node.DataDirectory);
        var data = node.DataDirectory;

        Assert.Equal("added http://127.0.0.1:8787\n", (await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:8787", "--data", data)).Output);
        Assert.Equal("already stored http://127.0.0.1:8787\n", (await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:8787/", "--data", data)).Output);
        // The running node's own store has it (the CLI did not open the store behind the node's back).
        Assert.Equal(["http://127.0.0.1:8787"], node.Host.StoredRelays.List().Select(r => r.Url));
        Assert.Equal("http://127.0.0.1:8787\tstored\n", (await CliRun.InvokeAsync(env, "relay", "list", "--data", data)).Output);
        var bad = await CliRun.InvokeAsync(env, "relay", "add", "ftp://x", "--data", data);
        var unknown = await CliRun.InvokeAsync(env, "relay", "remove", "http://127.0.0.1:9", "--data", data);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "relay", "remove", "http://127.0.0.1:8787", "--data", data)).ExitCode);

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("scheme is ftp", bad.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no relay http://127.0.0.1:9 is stored", unknown.Error, StringComparison.Ordinal);
        Assert.Empty(node.Host.StoredRelays.List());
    }

    [Fact]
    public async Task Up_UsesTheFirstStoredRelay_UnlessRelayIsGiven()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        // Nothing listens on these ports: the node only has to pick the relay; its mailbox client retries in the background.
        var first = ClosedLoopbackPort();
        var second = ClosedLoopbackPort();
        var explicitPort = ClosedLoopbackPort();
        await CliRun.InvokeAsync(env, "relay", "add", $"http://127.0.0.1:{first}", "--data", dir.Path);
        await CliRun.InvokeAsync(env, "relay", "add", $"http://127.0.0.1:{second}", "--data", dir.Path);

        var stored = await UpRun.UntilUpThenStopAsync(env, "up", "--data", dir.Path, "--port", "0");
        var given = await UpRun.UntilUpThenStopAsync(env, "up", "--data", dir.Path, "--port", "0", "--relay", $"http://127.0.0.1:{explicitPort}");
        await CliRun.InvokeAsync(env, "relay", "remove", $"http://127.0.0.1:{first}", "--data", dir.Path);
        await CliRun.InvokeAsync(env, "relay", "remove", $"http://127.0.0.1:{second}", "--data", dir.Path);
        var none = await UpRun.UntilUpThenStopAsync(env, "up", "--data", dir.Path, "--port", "0");

        Assert.Equal(0, stored.ExitCode);
        Assert.Contains($"\nrelay ws://127.0.0.1:{first}/mailbox\n", stored.Output, StringComparison.Ordinal);
        Assert.Contains($"\nrelay ws://127.0.0.1:{explicitPort}/mailbox\n", given.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\nrelay ", none.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://relay.example", "scheme is ftp")]
    [InlineData("http://user:pw@127.0.0.1:8787", "user name or password")]
    [InlineData("relay.example", "invalid relay URL")]
    public async Task Up_RefusesARelayUrlThatCouldNotBeStored_BeforeStarting(string url, string reason)
    {
        using var dir = new TempDirectory();

        var refused = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path, "--port", "0", "--no-mdns", "--relay", url);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"--relay: invalid relay URL", refused.Error, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "device.key")));
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
