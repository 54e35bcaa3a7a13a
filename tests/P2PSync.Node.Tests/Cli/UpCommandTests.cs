using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

public sealed class UpCommandTests
{
    [Fact]
    public async Task Up_CreatesDataDirectoryStoreAndKey_PrintsWhatItBound_AndStopsCleanlyOnCancel()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("a", "b");

        var run = await UpRun.UntilUpThenStopAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", data, "--port", "0", "--api-port", "0");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(Path.Combine(data, NodeStore.FileName), lines["store"]);
        Assert.True(P2PSync.Protocol.Identity.DeviceId.TryParse(lines["device"], out _));
        Assert.InRange(int.Parse(lines["port"], System.Globalization.CultureInfo.InvariantCulture), 1, 65535);
        Assert.StartsWith("http://127.0.0.1:", lines["api"], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, NodeStore.FileName)));
        Assert.True(File.Exists(Path.Combine(data, "device.key")));
        Assert.False(File.Exists(ApiEndpointFile.PathIn(data)));
        Assert.Contains("stopped; store closed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_IsRepeatable_AndKeepsItsDeviceId()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        var first = await UpRun.UntilUpThenStopAsync(env, "up", "--data", dir.Path, "--port", "0");
        var second = await UpRun.UntilUpThenStopAsync(env, "--data", dir.Path, "up", "--port", "0");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Output.Split('\n')[0], second.Output.Split('\n')[0]);
    }

    [Fact]
    public async Task Up_UsesP2PSyncHomeWhenNoDataOption()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("from-env");
        var env = new NodeEnvironment(name => name == "P2PSYNC_HOME" ? home : null, dir.Combine("home"));

        var run = await UpRun.UntilUpThenStopAsync(env, "up", "--port", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"store {Path.Combine(home, NodeStore.FileName)}\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_UsesHomeLocalShareByDefault()
    {
        using var dir = new TempDirectory();

        var run = await UpRun.UntilUpThenStopAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--port", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"store {dir.Combine(".local", "share", "p2psync", NodeStore.FileName)}\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_RefusesCorruptStoreWithOneLineErrorAndLeavesItUntouched()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine(NodeStore.FileName);
        var garbage = new byte[3000];
        new Random(42).NextBytes(garbage);
        File.WriteAllBytes(store, garbage);

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path, "--port", "0");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(store, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(store));
    }

    [Fact]
    public async Task Up_RefusesDataPathThatIsAFile()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("not-a-dir");
        File.WriteAllText(file, "x");

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", file, "--port", "0");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a data directory", run.Error, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public async Task Up_PortTakenByAnotherNode_FailsWithOneLine()
    {
        using var dir = new TempDirectory();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Any, 0);
        taken.Server.DualMode = true;
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot listen", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_RefusesASecondNodeOnTheSameDataDirectory()
    {
        await using var node = await P2PSync.Node.Tests.Api.TestNode.StartAsync();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(node.DataDirectory), "up", "--data", node.DataDirectory, "--port", "0");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already running", run.Error, StringComparison.Ordinal);
        Assert.NotNull(ApiEndpointFile.ReadLive(node.DataDirectory));
    }

    [Fact]
    public async Task UnknownVerb_FailsWithoutRunningAnything()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "bogus");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("bogus", run.Error, StringComparison.Ordinal);
    }
}
