using System.Net;
using System.Net.Http.Json;
using System.Text;
using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Bad input of every kind to a real node's activity and handoff endpoints and verbs: a clear 4xx
/// (or CLI error), never a 5xx or a dropped connection, and the activity and handoffs as they were.
/// </summary>
[Collection("node processes")]
public sealed class HandoffApiBadInputTests
{
    private const string Text = "a document to point into";

    [Theory]
    [InlineData(5001)]
    [InlineData(5002)]
    [InlineData(5003)]
    public async Task MutatedActivityBodies_AreRefusedAndChangeNothing(int seed)
    {
        await using var a = await NodeProcess.StartAsync("a");
        var doc = await a.CreateDocAsync("target");
        await a.AppendAsync(doc.Id, Text);
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 5, anchor: 2, stateJson: """{"kept":true}""");
        var mutator = new ActivityBodyMutator(seed, doc.Id, Text.Length);

        for (var i = 0; i < 40; i++)
        {
            var before = await a.Http.GetStringAsync("api/activity");
            var (body, mutation, mustBeRefused) = mutator.Next();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await a.Http.PutAsync("api/activity", content);
            var answer = await response.Content.ReadAsStringAsync();
            var where = $"seed {seed}, case {i}: {mutation} -> {(int)response.StatusCode} {Clip(answer)}";

            Assert.True((int)response.StatusCode < 500, where + $"\n--- log ---\n{a.Log}");
            if (response.IsSuccessStatusCode)
            {
                Assert.False(mustBeRefused, where);
                await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 5, anchor: 2, stateJson: """{"kept":true}""");
                continue;
            }

            Assert.InRange((int)response.StatusCode, 400, 499);
            var after = ActivitySnapshot.Parse(await a.Http.GetStringAsync("api/activity"));
            Assert.True(before == after.Raw, $"{where}: the activity changed\nbefore {before}\nafter  {after.Raw}");
            Assert.Equal(5, after.Document(doc.Id).Cursor);
            Assert.True(after.StateEquals("""{"kept":true}"""), where);
        }

        Assert.Equal(Text, await a.TextAsync(doc.Id));
    }

    [Fact]
    public async Task ActivityLimitsAndUnknownDocuments_GetTheirOwnStatus()
    {
        await using var a = await NodeProcess.StartAsync("a");
        var doc = await a.CreateDocAsync("target");
        await a.AppendAsync(doc.Id, Text);

        var tooLarge = await a.Http.PutAsJsonAsync("api/activity", new { documents = new[] { new { id = doc.Id, cursor = 1 } }, state = new string('s', (1024 * 1024) + 10) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var unknown = await a.Http.PutAsJsonAsync("api/activity", new { documents = new[] { new { id = "nope", cursor = 1 } } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nope", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await HandoffDriver.ApiActivityAsync(a)).Documents);

        // The CLI says the same in words, with a non-zero exit code.
        var pastTheEnd = await P2PSyncCli.RunAsync(a, "activity", "set", "--doc", doc.Id, "--cursor", "9999");
        Assert.NotEqual(0, pastTheEnd.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(pastTheEnd.Stderr), pastTheEnd.ToString());
        var badState = await P2PSyncCli.RunAsync(a, "activity", "set", "--doc", doc.Id, "--cursor", "1", "--state", "{not json");
        Assert.NotEqual(0, badState.ExitCode);
        Assert.Contains("--state", badState.Stderr, StringComparison.Ordinal);
        var unknownDoc = await P2PSyncCli.RunAsync(a, "activity", "set", "--doc", "nope", "--cursor", "0");
        Assert.NotEqual(0, unknownDoc.ExitCode);
        Assert.Contains("nope", unknownDoc.Stderr, StringComparison.Ordinal);
        Assert.Empty((await HandoffDriver.ApiActivityAsync(a)).Documents);
    }

    [Theory]
    [InlineData(6001)]
    [InlineData(6002)]
    public async Task HandoffCommandsWithBadIds_AreRefusedAndChangeNothing(int seed)
    {
        await using var a = await NodeProcess.StartAsync("a");
        var doc = await a.CreateDocAsync("target");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 0);
        var random = new Random(seed);
        var junk = new List<string> { "", " ", "not-a-device", a.DeviceId, a.DeviceId[..^1] + (a.DeviceId[^1] == 'a' ? 'b' : 'a'), new string('A', 5000), "../../etc/passwd", "\u0000" };
        for (var i = 0; i < 12; i++)
        {
            var bytes = new byte[1 + random.Next(60)];
            random.NextBytes(bytes);
            junk.Add(Convert.ToBase64String(bytes).Replace('/', '_'));
        }

        foreach (var value in junk)
        {
            var where = $"seed {seed}, value '{Clip(value)}'";
            foreach (var (path, body) in new[] { ("api/handoff/offer", (object)new { to = value }), ("api/handoff/pull", new { from = value }) })
            {
                var response = await a.Http.PostAsJsonAsync(path, body);
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"{where}: {path} -> {(int)response.StatusCode} {Clip(await response.Content.ReadAsStringAsync())}\n--- log ---\n{a.Log}");
            }

            if (value.Length > 0 && !value.Contains('/', StringComparison.Ordinal))
            {
                foreach (var verb in new[] { "accept", "decline" })
                {
                    var response = await a.Http.PostAsync($"api/handoff/{Uri.EscapeDataString(value)}/{verb}", null);
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"{where}: {verb} -> {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(await HandoffDriver.HandoffsAsync(a));
        Assert.Null((await HandoffDriver.ApiActivityAsync(a)).HandedOffTo);
        var cli = await P2PSyncCli.RunAsync(a, "handoff", "accept", "no-such-offer");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("no-such-offer", cli.Stderr, StringComparison.Ordinal);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
