using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

public sealed class UpCommandTests
{
    [Fact]
    public async Task Up_CreatesDataDirectoryAndStoreAndPrintsItsPath()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("a", "b");

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", data);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Path.Combine(data, NodeStore.FileName), run.Output.Trim());
        Assert.Equal("", run.Error);
        Assert.True(File.Exists(Path.Combine(data, NodeStore.FileName)));
    }

    [Fact]
    public async Task Up_IsRepeatable()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        var first = await CliRun.InvokeAsync(env, "up", "--data", dir.Path);
        var second = await CliRun.InvokeAsync(env, "--data", dir.Path, "up");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task Up_UsesP2PSyncHomeWhenNoDataOption()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("from-env");
        var env = new NodeEnvironment(name => name == "P2PSYNC_HOME" ? home : null, dir.Combine("home"));

        var run = await CliRun.InvokeAsync(env, "up");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Path.Combine(home, NodeStore.FileName), run.Output.Trim());
    }

    [Fact]
    public async Task Up_UsesHomeLocalShareByDefault()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(dir.Combine(".local", "share", "p2psync", NodeStore.FileName), run.Output.Trim());
    }

    [Fact]
    public async Task Up_RefusesCorruptStoreWithOneLineErrorAndLeavesItUntouched()
    {
        using var dir = new TempDirectory();
        var store = dir.Combine(NodeStore.FileName);
        var garbage = new byte[3000];
        new Random(42).NextBytes(garbage);
        File.WriteAllBytes(store, garbage);

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path);

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

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a data directory", run.Error, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
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
