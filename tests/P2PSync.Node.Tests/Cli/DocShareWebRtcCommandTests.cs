using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary>`p2psync doc share-webrtc`: one clear line and an exit code for every refusal; join and leave through the running node.</summary>
public sealed class DocShareWebRtcCommandTests
{
    [Fact]
    public async Task WithoutARunningNodeItSaysSo()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "doc", "share-webrtc", "some-doc", "--room", "r", "--data", dir.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no node is running", run.Error, StringComparison.Ordinal);
        Assert.Contains("sharing into a y-webrtc room needs a running node", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusalsThenJoinAndLeave()
    {
        await using var node = await TestNode.StartAsync();
        var env = CliRun.EmptyEnvironment(node.DataDirectory);
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d", null))).Content.ReadFromJsonAsync<DocView>())!;

        var noRelay = await Share(env, node, doc.Id, "room");
        Assert.Equal(1, noRelay.ExitCode);
        Assert.Contains("needs a relay", noRelay.Error, StringComparison.Ordinal);

        // A stored relay is enough: the share's signalling keeps retrying in the background until it answers.
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "relay", "add", "http://127.0.0.1:9", "--data", node.DataDirectory)).ExitCode);

        var unknown = await Share(env, node, "no-such-doc", "room");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no document with id 'no-such-doc'", unknown.Error, StringComparison.Ordinal);

        var badName = await Share(env, node, doc.Id, "   ");
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("bad room name: a room name is required", badName.Error, StringComparison.Ordinal);

        var joined = await Share(env, node, doc.Id, "room", "--password", "pw");
        Assert.Equal(0, joined.ExitCode);
        Assert.Contains($"document {doc.Id} is in y-webrtc room 'room' as peer ", joined.Output, StringComparison.Ordinal);
        Assert.Contains("signalling sealed with the password", joined.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", joined.Output.Replace("password", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var conflict = await Share(env, node, doc.Id, "room");
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("another password", conflict.Error, StringComparison.Ordinal);

        var left = await Share(env, node, doc.Id, "room", "--stop");
        Assert.Equal(0, left.ExitCode);
        Assert.Equal("left y-webrtc room 'room'\n", left.Output);
        Assert.Equal(1, (await Share(env, node, doc.Id, "room", "--stop")).ExitCode);
    }

    private static Task<CliRun> Share(Node.Hosting.NodeEnvironment env, TestNode node, string docId, string room, params string[] more) =>
        CliRun.InvokeAsync(env, ["doc", "share-webrtc", docId, "--room", room, .. more, "--data", node.DataDirectory]);
}
