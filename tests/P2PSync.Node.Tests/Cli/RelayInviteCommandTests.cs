using P2PSync.Node.Security.Invites;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary><c>invite --relay-only</c> and <c>join --relay</c>: what they refuse, with which exit code and sentence.</summary>
public sealed class RelayInviteCommandTests
{
    [Fact]
    public async Task RelayOnly_WithoutAnyRelay_IsRefused_AndWithAStoredRelay_GivesACodeWithoutAddresses()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "space", "new", "team", "--data", dir.Path)).ExitCode);

        var refused = await CliRun.InvokeAsync(env, "invite", "team", "--role", "editor", "--relay-only", "--data", dir.Path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("needs a relay", refused.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:9", "--data", dir.Path)).ExitCode);
        var withAddress = await CliRun.InvokeAsync(env, "invite", "team", "--role", "editor", "--relay-only", "--address", "127.0.0.1:7000", "--data", dir.Path);
        Assert.Equal(2, withAddress.ExitCode);
        Assert.Contains("carries no address", withAddress.Error, StringComparison.Ordinal);

        var made = await CliRun.InvokeAsync(env, "invite", "team", "--role", "viewer", "--relay-only", "--data", dir.Path);
        Assert.True(made.ExitCode == 0, made.Error);
        var code = InviteCodec.Decode(made.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());
        Assert.Empty(code.InviterAddresses);
        Assert.Equal(InviteRole.Viewer, code.Role);
    }

    [Fact]
    public async Task Join_WithABadRelayUrl_OrAnAddresslessCodeAndNoRelay_IsRefusedWithASentence()
    {
        using var inviterDir = new TempDirectory();
        using var joinerDir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(inviterDir.Path);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "space", "new", "team", "--data", inviterDir.Path)).ExitCode);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:9", "--data", inviterDir.Path)).ExitCode);
        var code = (await CliRun.InvokeAsync(env, "invite", "team", "--role", "editor", "--relay-only", "--data", inviterDir.Path)).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();

        var joinerEnv = CliRun.EmptyEnvironment(joinerDir.Path);
        var badUrl = await CliRun.InvokeAsync(joinerEnv, "join", code, "--relay", "ftp://127.0.0.1:9", "--data", joinerDir.Path);
        Assert.Equal(2, badUrl.ExitCode);
        Assert.Contains("--relay takes an http(s):// or ws(s):// URL", badUrl.Error, StringComparison.Ordinal);

        var noRelay = await CliRun.InvokeAsync(joinerEnv, "join", code, "--data", joinerDir.Path);
        Assert.Equal(1, noRelay.ExitCode);
        Assert.Contains("give a relay", noRelay.Error, StringComparison.Ordinal);

        // Port 9 on loopback: nothing listens, so the relay is out of reach, and the sentence says so.
        var unreachable = await CliRun.InvokeAsync(joinerEnv, "join", code, "--relay", "http://127.0.0.1:9", "--data", joinerDir.Path);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("could not reach the relay", unreachable.Error, StringComparison.Ordinal);
    }
}
