using System.Text.RegularExpressions;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary>doc/peer/status verbs, on the store when no node runs and through the API when one does.</summary>
public sealed class NodeVerbTests
{
    [Fact]
    public async Task DocVerbs_WorkOnTheStoreWithoutANode()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        var created = await CliRun.InvokeAsync(env, "doc", "new", "notes", "--data", dir.Path);
        Assert.Equal(0, created.ExitCode);
        var id = created.Output.Trim();
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "doc", "append", id, "hello ", "--data", dir.Path)).ExitCode);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "doc", "append", id, "world", "--data", dir.Path)).ExitCode);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "doc", "append", id, "aside", "--root", "notes", "--data", dir.Path)).ExitCode);

        Assert.Equal("hello world\n", (await CliRun.InvokeAsync(env, "doc", "cat", id, "--data", dir.Path)).Output);
        Assert.Equal("aside\n", (await CliRun.InvokeAsync(env, "doc", "cat", id, "--root", "notes", "--data", dir.Path)).Output);
        // The third column names the space: new documents go to the personal one.
        Assert.Matches($"^{Regex.Escape(id)}\tnotes\tpersonal \\([0-9a-f]{{8}}\\)\n$", (await CliRun.InvokeAsync(env, "doc", "list", "--data", dir.Path)).Output);
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "doc", "rename", id, "journal", "--data", dir.Path)).ExitCode);
        Assert.Matches($"^{Regex.Escape(id)}\tjournal\tpersonal ", (await CliRun.InvokeAsync(env, "doc", "list", "--data", dir.Path)).Output);
        Assert.Equal(1, (await CliRun.InvokeAsync(env, "doc", "rename", "nope", "x", "--data", dir.Path)).ExitCode);
    }

    [Fact]
    public async Task DocVerbs_BadInput_OneLineErrorAndNothingChanged()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        var missing = await CliRun.InvokeAsync(env, "doc", "cat", "nope", "--data", dir.Path);
        var badName = await CliRun.InvokeAsync(env, "doc", "new", "", "--data", dir.Path);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no document with id 'nope'", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, badName.ExitCode);
        Assert.Single(badName.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", (await CliRun.InvokeAsync(env, "doc", "list", "--data", dir.Path)).Output);
    }

    [Fact]
    public async Task PeerVerbs_AddListRemove_AndRejectTypos()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        using var other = DeviceKey.Generate();
        var id = other.Id.ToString();

        Assert.Equal($"trusted {id}\n", (await CliRun.InvokeAsync(env, "peer", "add", id, "--addr", "127.0.0.1:7420", "--data", dir.Path)).Output);
        Assert.Equal($"{id}\toffline\t127.0.0.1:7420\ttrusted\n", (await CliRun.InvokeAsync(env, "peer", "list", "--data", dir.Path)).Output);

        var typo = id[..10] + (id[10] == 'A' ? 'B' : 'A') + id[11..];
        var bad = await CliRun.InvokeAsync(env, "peer", "add", typo, "--data", dir.Path);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("check", bad.Error, StringComparison.OrdinalIgnoreCase);
        var badAddress = await CliRun.InvokeAsync(env, "peer", "add", id, "--addr", "nohost", "--data", dir.Path);
        Assert.Equal(2, badAddress.ExitCode);

        Assert.Equal(0, (await CliRun.InvokeAsync(env, "peer", "remove", id, "--data", dir.Path)).ExitCode);
        Assert.Equal("", (await CliRun.InvokeAsync(env, "peer", "list", "--data", dir.Path)).Output);
        Assert.Equal(1, (await CliRun.InvokeAsync(env, "peer", "remove", id, "--data", dir.Path)).ExitCode);
    }

    [Fact]
    public async Task Verbs_GoThroughTheRunningNodesApi()
    {
        await using var node = await TestNode.StartAsync();
        var env = CliRun.EmptyEnvironment(node.DataDirectory);
        var data = node.DataDirectory;

        var id = (await CliRun.InvokeAsync(env, "doc", "new", "live", "--data", data)).Output.Trim();
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "doc", "append", id, "via cli", "--data", data)).ExitCode);

        // The running node saw it at once: it is in its live document.
        Assert.Equal("via cli", node.Host.Documents.Read(id, d => d.GetText("text").ToString()));
        Assert.Equal("via cli\n", (await CliRun.InvokeAsync(env, "doc", "cat", id, "--data", data)).Output);
        var status = await CliRun.InvokeAsync(env, "status", "--data", data);
        Assert.Contains($"device {node.Host.DeviceId}", status.Output, StringComparison.Ordinal);
        Assert.Contains("node running", status.Output, StringComparison.Ordinal);
        Assert.Contains($"{id} live", status.Output, StringComparison.Ordinal);
        var missing = await CliRun.InvokeAsync(env, "doc", "cat", "nope", "--data", data);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no document with id 'nope'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WithoutANode_SaysSo()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        await CliRun.InvokeAsync(env, "doc", "new", "d", "--data", dir.Path);

        var status = await CliRun.InvokeAsync(env, "status", "--data", dir.Path);

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("node not running", status.Output, StringComparison.Ordinal);
        Assert.Contains("documents (1)", status.Output, StringComparison.Ordinal);
    }
}
