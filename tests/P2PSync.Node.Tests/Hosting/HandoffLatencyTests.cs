using System.Diagnostics;
using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Cli.Client;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>
/// Repeated small handoffs through the real host (API, engine, Noise TCP on loopback) each reach
/// ready and mark A handed off. Times are printed for information only: speed goals live in
/// bench/handoff (ratios in the same run), never in a test's pass/fail.
/// </summary>
public sealed class HandoffLatencyTests
{
    private readonly ITestOutputHelper _output;

    public HandoffLatencyTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task SmallActivity_PulledFifteenTimesInARow_ReachesReadyEachTime()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 41);
        var doc = (await (await pair.A.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!.Id;
        (await pair.A.Http.PostAsJsonAsync($"api/docs/{doc}/append", new AppendRequest("a small note", null))).EnsureSuccessStatusCode();
        await using var client = new ApiNodeClient(pair.B.Host.ApiUrl!);
        await using var events = await client.OpenHandoffEventsAsync(CancellationToken.None);
        var times = new List<double>();
        for (var round = 0; round < 15; round++)
        {
            // A works again (a new version), so there is something to pull each round.
            (await pair.A.Http.PutAsJsonAsync("api/activity", new ActivityRequest([new ActivityDocumentRequest(doc, round % 10, null, null, null, null)], null))).EnsureSuccessStatusCode();
            var version = (await pair.A.Http.GetFromJsonAsync<ActivityView>("api/activity"))!.Version;
            await Support.Eventually.HoldsAsync(() => pair.B.Host.Handoff.PeerActivities.Values.Any(p => (long)p.Version == version), HandoffPair.Patience);

            var clock = Stopwatch.StartNew();
            var id = (await client.PullHandoffAsync(pair.A.Host.DeviceId, CancellationToken.None)).Id;
            using var timeout = new CancellationTokenSource(HandoffPair.Patience);
            await foreach (var e in events.ReadAllAsync(timeout.Token))
            {
                if (e.Data.Contains(id, StringComparison.Ordinal) && e.Event is "ready" or "failed" or "declined" or "expired")
                {
                    Assert.True(e.Event == "ready", $"round {round}: {e.Event} {e.Data}");
                    break;
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);

            // A marks its activity handed off when B's result arrives, a moment after B is ready:
            // wait for that, or the next round's activity could be marked as handed off too.
            await Support.Eventually.HoldsAsync(
                () => pair.A.Host.Handoff.Handoffs.Any(h => h.Id == id && h.State == P2PSync.Node.Handoff.HandoffState.HandedOff),
                HandoffPair.Patience);
        }

        times.Sort();
        var median = times[times.Count / 2];
        _output.WriteLine($"pull to ready (API call, engine, loopback Noise TCP, apply, SSE): median {median:0.00} ms, min {times[0]:0.00} ms, max {times[^1]:0.00} ms over {times.Count}");
        Assert.Equal(15, times.Count);
    }
}
