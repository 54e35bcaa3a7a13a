using System.Runtime.Versioning;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Support;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Identity;

/// <summary><c>p2psync init</c> and <c>p2psync id</c>, run in-process through the real command tree.</summary>
// Key files are protected by Unix permissions; the node targets Linux.
[UnsupportedOSPlatform("windows")]
public sealed class InitAndIdCommandTests
{
    [Fact]
    public async Task InitCreatesTheKeyAndIdPrintsTheSameDeviceId()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        var init = await RunAsync(env, "init", "--data", dir.Path);
        Assert.Equal(0, init.ExitCode);
        Assert.Equal("", init.Error);
        Assert.Contains(DeviceKeyStore.PathIn(dir.Path), init.Output, StringComparison.Ordinal);

        var id = await RunAsync(env, "id", "--data", dir.Path);
        Assert.Equal(0, id.ExitCode);
        var printed = id.Output.Trim();
        Assert.Equal(DeviceId.TextLength, printed.Length);
        Assert.Contains($"DeviceId: {printed}", init.Output, StringComparison.Ordinal);
        using var key = DeviceKeyStore.Load(dir.Path);
        Assert.Equal(key.Id, DeviceId.Parse(printed));
    }

    [Fact]
    public async Task InitRefusesToOverwriteWithoutForce()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        await RunAsync(env, "init", "--data", dir.Path);
        var before = File.ReadAllBytes(DeviceKeyStore.PathIn(dir.Path));

        var again = await RunAsync(env, "init", "--data", dir.Path);

        Assert.Equal(1, again.ExitCode);
        Assert.Equal("", again.Output);
        var line = Assert.Single(again.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--force", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", again.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(DeviceKeyStore.PathIn(dir.Path)));
    }

    [Fact]
    public async Task InitWithForceGivesANewIdentity()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        await RunAsync(env, "init", "--data", dir.Path);
        var first = (await RunAsync(env, "id", "--data", dir.Path)).Output;

        var forced = await RunAsync(env, "init", "--force", "--data", dir.Path);
        var second = (await RunAsync(env, "id", "--data", dir.Path)).Output;

        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task IdWithoutAKeySaysToRunInit()
    {
        using var dir = new TempDirectory();
        var run = await RunAsync(CliRun.EmptyEnvironment(dir.Path), "id", "--data", dir.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("p2psync init", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdRefusesAKeyOthersCanRead()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        await RunAsync(env, "init", "--data", dir.Path);
        File.SetUnixFileMode(DeviceKeyStore.PathIn(dir.Path), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var run = await RunAsync(env, "id", "--data", dir.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("chmod 600", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitHonoursP2PSyncHome()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("home-from-env");
        var env = new NodeEnvironment(name => name == DataDirectory.HomeVariable ? home : null, dir.Path);

        var run = await RunAsync(env, "init");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(DeviceKeyStore.PathIn(home)));
    }

    private static Task<CliRun> RunAsync(NodeEnvironment environment, params string[] args) =>
        CliRun.InvokeAsync(environment, args);
}
