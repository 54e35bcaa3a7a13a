using System.Text.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Cli;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Hosting;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary>activity and handoff verbs: they need a running node, parse strictly, and wait for the end.</summary>
public sealed class HandoffCommandTests
{
    [Theory]
    [InlineData("activity", "show")]
    [InlineData("activity", "set", "--doc", "d", "--cursor", "0")]
    [InlineData("handoff", "list")]
    [InlineData("handoff", "pull", "SOMEDEVICE")]
    [InlineData("handoff", "offer", "--to", "SOMEDEVICE")]
    [InlineData("handoff", "accept", "abc")]
    [InlineData("handoff", "decline", "abc")]
    public async Task WithoutARunningNode_SayItNeedsOne(params string[] verb)
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), [.. verb, "--data", dir.Path]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("needs a running node", run.Error, StringComparison.Ordinal);
        Assert.Contains("p2psync up", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("activity", "set", "--cursor", "1")]
    [InlineData("activity", "set", "--doc", "d")]
    [InlineData("activity", "set", "--doc", "d", "--cursor", "x")]
    [InlineData("handoff", "offer")]
    [InlineData("handoff", "accept")]
    [InlineData("handoff", "pull")]
    [InlineData("handoff", "nonsense")]
    public async Task ParseErrors_AreReportedWithoutRunningAnything(params string[] verb)
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), [.. verb, "--data", dir.Path]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.NotEqual("", run.Error);
        Assert.DoesNotContain("running node", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivitySetShow_ThroughTheNode_PrintsResolvedIndexesAndState()
    {
        await using var node = await TestNode.StartAsync();
        var env = CliRun.EmptyEnvironment(node.DataDirectory);
        var data = node.DataDirectory;
        var doc = (await CliRun.InvokeAsync(env, "doc", "new", "n", "--data", data)).Output.Trim();
        Assert.Equal(0, (await CliRun.InvokeAsync(env, "doc", "append", doc, "hello world", "--data", data)).ExitCode);

        var set = await CliRun.InvokeAsync(env, "activity", "set", "--doc", doc, "--cursor", "6", "--anchor", "11", "--state", """{"mode":"edit"}""", "--data", data);
        Assert.Equal(0, set.ExitCode);
        node.Host.Documents.Edit(doc, d => d.GetText("text").Insert(0, "oh, "), "test");
        var show = await CliRun.InvokeAsync(env, "activity", "show", "--data", data);

        Assert.Equal(0, show.ExitCode);
        using var json = JsonDocument.Parse(show.Output);
        var entry = json.RootElement.GetProperty("documents")[0];
        Assert.Equal(doc, entry.GetProperty("id").GetString());
        Assert.Equal(10, entry.GetProperty("cursor").GetInt32());
        Assert.Equal(15, entry.GetProperty("anchor").GetInt32());
        Assert.Equal("edit", json.RootElement.GetProperty("state").GetProperty("mode").GetString());
        Assert.Equal(["documents", "state"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ActivitySet_BadInput_ExitCode2_AndNothingChanged()
    {
        await using var node = await TestNode.StartAsync();
        var env = CliRun.EmptyEnvironment(node.DataDirectory);
        var data = node.DataDirectory;
        var doc = (await CliRun.InvokeAsync(env, "doc", "new", "n", "--data", data)).Output.Trim();

        var badState = await CliRun.InvokeAsync(env, "activity", "set", "--doc", doc, "--cursor", "0", "--state", "{nope", "--data", data);
        var negative = await CliRun.InvokeAsync(env, "activity", "set", "--doc", doc, "--cursor", "-1", "--data", data);
        var outside = await CliRun.InvokeAsync(env, "activity", "set", "--doc", doc, "--cursor", "5", "--data", data);
        var unknown = await CliRun.InvokeAsync(env, "activity", "set", "--doc", "nope", "--cursor", "0", "--data", data);

        Assert.Equal(2, badState.ExitCode);
        Assert.Contains("--state is not valid JSON", badState.Error, StringComparison.Ordinal);
        Assert.Equal(2, negative.ExitCode);
        Assert.Equal(2, outside.ExitCode);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no document", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("""{"documents":[],"state":null}""", (await CliRun.InvokeAsync(env, "activity", "show", "--data", data)).Output.Trim());
    }

    [Fact]
    public async Task HandoffOffer_WaitsAndFailsWithTheReason_WhenDeclined()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 21);
        var envA = CliRun.EmptyEnvironment(pair.A.DataDirectory);
        var envB = CliRun.EmptyEnvironment(pair.B.DataDirectory);
        var doc = (await CliRun.InvokeAsync(envA, "doc", "new", "n", "--data", pair.A.DataDirectory)).Output.Trim();
        Assert.Equal(0, (await CliRun.InvokeAsync(envA, "activity", "set", "--doc", doc, "--cursor", "0", "--data", pair.A.DataDirectory)).ExitCode);

        var offering = CliRun.InvokeAsync(envA, "handoff", "offer", "--to", pair.B.Host.DeviceId, "--data", pair.A.DataDirectory);
        await Eventually.HoldsAsync(() => pair.B.Host.Handoff.Handoffs.Count == 1, HandoffPair.Patience);
        var id = pair.B.Host.Handoff.Handoffs[0].Id;
        var list = await CliRun.InvokeAsync(envB, "handoff", "list", "--data", pair.B.DataDirectory);
        var declined = await CliRun.InvokeAsync(envB, "handoff", "decline", id, "--reason", "not now", "--data", pair.B.DataDirectory);
        var offer = await offering.WaitAsync(HandoffPair.Patience);

        Assert.Contains(id, list.Output, StringComparison.Ordinal);
        Assert.Contains(pair.A.Host.DeviceId, list.Output, StringComparison.Ordinal);
        Assert.Equal($"declined {id}\n", declined.Output);
        Assert.Equal(1, offer.ExitCode);
        Assert.StartsWith($"handoff {id}", offer.Output, StringComparison.Ordinal);
        Assert.Contains($"handoff {id} declined: not now", offer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandoffPull_WaitsForReady_PrintingProgress()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 23);
        var envA = CliRun.EmptyEnvironment(pair.A.DataDirectory);
        var envB = CliRun.EmptyEnvironment(pair.B.DataDirectory);
        var doc = (await CliRun.InvokeAsync(envA, "doc", "new", "n", "--data", pair.A.DataDirectory)).Output.Trim();
        Assert.Equal(0, (await CliRun.InvokeAsync(envA, "doc", "append", doc, "abcdef", "--data", pair.A.DataDirectory)).ExitCode);
        Assert.Equal(0, (await CliRun.InvokeAsync(envA, "activity", "set", "--doc", doc, "--cursor", "3", "--data", pair.A.DataDirectory)).ExitCode);
        await Eventually.HoldsAsync(() => pair.B.Host.Handoff.PeerActivities.Values.Any(p => p.Documents.Count == 1), HandoffPair.Patience);

        var pull = await CliRun.InvokeAsync(envB, "handoff", "pull", pair.A.Host.DeviceId, "--data", pair.B.DataDirectory).WaitAsync(HandoffPair.Patience);
        var show = await CliRun.InvokeAsync(envB, "activity", "show", "--data", pair.B.DataDirectory);

        Assert.True(pull.ExitCode == 0, pull.Error);
        Assert.Contains("transferring", pull.Output, StringComparison.Ordinal);
        Assert.Contains($"ready: resumed the activity of {pair.A.Host.DeviceId}", pull.Output, StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(show.Output).RootElement.GetProperty("documents")[0].GetProperty("cursor").GetInt32());
    }

    [Fact]
    public async Task HandoffOffer_NoWaitPrintsTheId_AndAWaitingOfferFailsCleanlyWhenTheNodeStops()
    {
        var pair = await HandoffPair.StartAsync(seed: 25);
        await using (pair.B)
        {
            var envA = CliRun.EmptyEnvironment(pair.A.DataDirectory);
            var data = pair.A.DataDirectory;
            var doc = (await CliRun.InvokeAsync(envA, "doc", "new", "n", "--data", data)).Output.Trim();
            Assert.Equal(0, (await CliRun.InvokeAsync(envA, "activity", "set", "--doc", doc, "--cursor", "0", "--data", data)).ExitCode);

            var noWait = await CliRun.InvokeAsync(envA, "handoff", "offer", "--to", pair.B.Host.DeviceId, "--no-wait", "--data", data);
            Assert.Equal(0, noWait.ExitCode);
            Assert.Equal(pair.A.Host.Handoff.Handoffs.Single().Id + "\n", noWait.Output);

            var waiting = CliRun.InvokeAsync(envA, "handoff", "offer", "--to", pair.B.Host.DeviceId, "--data", data);
            await Eventually.HoldsAsync(() => pair.A.Host.Handoff.Handoffs.Count == 2, HandoffPair.Patience);
            await pair.A.DisposeAsync();
            var stopped = await waiting.WaitAsync(HandoffPair.Patience);

            Assert.Equal(1, stopped.ExitCode);
            Assert.Single(stopped.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("before handoff", stopped.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ShowJson_WritesNullsForUnresolvedPositionsAndState()
    {
        var view = new ActivityView(3, 0, [new ActivityDocumentView("d1", null, null, null, null, null)], null, null, null);

        Assert.Equal("""{"documents":[{"id":"d1","cursor":null,"anchor":null}],"state":null}""", ActivityCommand.ToJson(view));
    }
}
