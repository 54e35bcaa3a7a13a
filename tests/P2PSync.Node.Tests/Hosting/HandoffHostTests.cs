using System.Net;
using System.Net.Http.Json;
using System.Text;
using P2PSync.Node.Api;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>Handoff through two real nodes on loopback: routing, the local API, and the event stream.</summary>
public sealed class HandoffHostTests
{
    [Fact]
    public async Task Offer_Accept_BResumesWithTextAndCursor_AHandedOff()
    {
        await using var pair = await HandoffPair.StartAsync();
        var doc = await CreateAsync(pair.A, "hello world");
        await SetCursorAsync(pair.A, doc, 6);
        await Eventually.HoldsAsync(() => Versions(pair.B).Contains(1L), HandoffPair.Patience);
        await using var aEvents = await OpenEventsAsync(pair.A);
        await using var bEvents = await OpenEventsAsync(pair.B);

        var offered = await pair.A.Http.PostAsJsonAsync("api/handoff/offer", new HandoffOfferRequest(pair.B.Host.DeviceId));
        Assert.Equal(HttpStatusCode.Accepted, offered.StatusCode);
        var id = (await offered.Content.ReadFromJsonAsync<HandoffStartedView>())!.Id;
        Assert.Equal("offered", (await NextAsync(bEvents, id)).Event);
        var listed = (await pair.B.Http.GetFromJsonAsync<HandoffListView>("api/handoff"))!;
        Assert.Equal(("in", "offer", "offered"), Single(listed, id));

        Assert.Equal(HttpStatusCode.Accepted, (await pair.B.Http.PostAsync($"api/handoff/{id}/accept", null)).StatusCode);

        var bKinds = await UntilAsync(bEvents, id, "ready");
        Assert.Contains("transferring", bKinds);
        await UntilAsync(aEvents, id, "handed-off");
        var resumed = (await pair.B.Http.GetFromJsonAsync<ActivityView>("api/activity"))!;
        Assert.Equal(pair.A.Host.DeviceId, resumed.ResumedFrom);
        Assert.Equal((doc, 6), (resumed.Documents[0].Id, resumed.Documents[0].Cursor));
        Assert.Equal("hello world", (await pair.B.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc}"))!.Text);
        Assert.Equal(pair.B.Host.DeviceId, (await pair.A.Http.GetFromJsonAsync<ActivityView>("api/activity"))!.HandedOffTo);
        Assert.Equal(("out", "offer", "handed-off"), Single((await pair.A.Http.GetFromJsonAsync<HandoffListView>("api/handoff"))!, id));
    }

    [Fact]
    public async Task Pull_ResumesALargerDocumentWithItsCursor()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 3);
        var doc = await CreateAsync(pair.A, "only on A " + new string('z', 200_000));
        await SetCursorAsync(pair.A, doc, 5);
        await Eventually.HoldsAsync(() => Versions(pair.B).Contains(1L), HandoffPair.Patience);
        await using var bEvents = await OpenEventsAsync(pair.B);

        var pulled = await pair.B.Http.PostAsJsonAsync("api/handoff/pull", new HandoffPullRequest(pair.A.Host.DeviceId));
        Assert.Equal(HttpStatusCode.Accepted, pulled.StatusCode);
        var id = (await pulled.Content.ReadFromJsonAsync<HandoffStartedView>())!.Id;

        await UntilAsync(bEvents, id, "ready");
        var resumed = (await pair.B.Http.GetFromJsonAsync<ActivityView>("api/activity"))!;
        Assert.Equal(5, resumed.Documents[0].Cursor);
        Assert.StartsWith("only on A zz", (await pair.B.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc}"))!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decline_EndsTheOfferOnBothSides_WithTheReason()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 5);
        var doc = await CreateAsync(pair.A, "x");
        await SetCursorAsync(pair.A, doc, 0);
        await using var aEvents = await OpenEventsAsync(pair.A);
        await using var bEvents = await OpenEventsAsync(pair.B);
        var id = (await (await pair.A.Http.PostAsJsonAsync("api/handoff/offer", new HandoffOfferRequest(pair.B.Host.DeviceId))).Content.ReadFromJsonAsync<HandoffStartedView>())!.Id;
        await NextAsync(bEvents, id);

        var declined = await pair.B.Http.PostAsJsonAsync($"api/handoff/{id}/decline", new HandoffDeclineRequest("busy right now"));

        Assert.Equal(HttpStatusCode.Accepted, declined.StatusCode);
        var last = await NextAsync(aEvents, id);
        Assert.Equal("declined", last.Event);
        Assert.Contains("busy right now", last.Data, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await pair.B.Http.PostAsync($"api/handoff/{id}/accept", null)).StatusCode);
        Assert.Null((await pair.B.Http.GetFromJsonAsync<ActivityView>("api/activity"))!.ResumedFrom);
    }

    [Fact]
    public async Task Commands_BadInput_AreTypedErrors()
    {
        await using var node = await TestNode.StartAsync();
        using var stranger = DeviceKey.Generate();
        var stranger_ = stranger.Id.ToString();
        (await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(DeviceKey.Generate().Id.ToString(), null))).EnsureSuccessStatusCode();
        var trustedOffline = (await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))![0].DeviceId;

        async Task<HttpStatusCode> PostAsync(string path, string body) =>
            (await node.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode;

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("api/handoff/offer", $$"""{"to":"{{stranger_}}"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("api/handoff/pull", $$"""{"from":"{{stranger_}}"}"""));
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync("api/handoff/offer", $$"""{"to":"{{trustedOffline}}"}"""));
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync("api/handoff/pull", $$"""{"from":"{{trustedOffline}}"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("api/handoff/offer", """{"to":"not-a-device"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("api/handoff/offer", "{}"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("api/handoff/pull", "{\"from\":"));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("api/handoff/nope/accept", ""));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("api/handoff/nope/decline", ""));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("api/handoff/nope/decline", "[[["));
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Http.GetAsync("api/handoff/events?after=-1")).StatusCode);
        Assert.Empty((await node.Http.GetFromJsonAsync<HandoffListView>("api/handoff"))!.Handoffs);
    }

    [Fact]
    public async Task EventStream_IsServerSentEvents_AndResumesAfterLastEventId()
    {
        await using var pair = await HandoffPair.StartAsync(seed: 7);
        var doc = await CreateAsync(pair.A, "y");
        await SetCursorAsync(pair.A, doc, 1);
        var response = await pair.A.Http.GetAsync("api/handoff/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        response.Dispose();

        var id = (await (await pair.A.Http.PostAsJsonAsync("api/handoff/offer", new HandoffOfferRequest(pair.B.Host.DeviceId))).Content.ReadFromJsonAsync<HandoffStartedView>())!.Id;
        await (await pair.A.Http.PostAsync($"api/handoff/{id}/decline", null)).Content.ReadAsStringAsync();

        // Subscribed after the fact: Last-Event-ID 0 replays what happened.
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/handoff/events");
        request.Headers.Add("Last-Event-ID", "0");
        using var replay = await pair.A.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await replay.Content.ReadAsStreamAsync());
        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(reader, CancellationToken.None))
        {
            events.Add(e);
            if (e.Event == "declined")
            {
                break;
            }
        }

        Assert.Equal("declined", events[^1].Event);
        Assert.All(events, e => Assert.True(long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Contains(id, events[^1].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_EndsEventStreamsAtOnce()
    {
        var node = await TestNode.StartAsync();
        var events = await OpenEventsAsync(node);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await node.DisposeAsync();

        // Not Kestrel's whole grace period (5 s) waiting for a stream that never ends by itself.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"shutdown took {clock.Elapsed}");
        // The stream ends (cleanly, or cut) well before the patience runs out, with no event.
        using var patience = new CancellationTokenSource(HandoffPair.Patience);
        try
        {
            await foreach (var e in events.ReadAllAsync(patience.Token))
            {
                Assert.Fail($"unexpected event {e.Event}");
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // Cut rather than closed: ended all the same.
        }

        Assert.False(patience.IsCancellationRequested);
        await events.DisposeAsync();
    }

    private static IReadOnlyCollection<long> Versions(TestNode node) =>
        node.Host.Handoff.PeerActivities.Values.Select(p => (long)p.Version).ToList();

    private static (string, string, string) Single(HandoffListView list, string id)
    {
        var h = Assert.Single(list.Handoffs, h => h.Id == id);
        return (h.Direction, h.Kind, h.State);
    }

    private static async Task<HandoffEventSource> OpenEventsAsync(TestNode node)
    {
        await using var client = new ApiNodeClient(node.Host.ApiUrl!);
        return await client.OpenHandoffEventsAsync(CancellationToken.None);
    }

    private static async Task<ServerSentEvent> NextAsync(HandoffEventSource events, string id)
    {
        using var timeout = new CancellationTokenSource(HandoffPair.Patience);
        await foreach (var e in events.ReadAllAsync(timeout.Token))
        {
            if (e.Data.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal))
            {
                return e;
            }
        }

        throw new InvalidOperationException("the event stream ended");
    }

    /// <summary>Reads events of the handoff until <paramref name="kind"/>; returns every kind seen.</summary>
    private static async Task<List<string>> UntilAsync(HandoffEventSource events, string id, string kind)
    {
        var kinds = new List<string>();
        while (true)
        {
            var e = await NextAsync(events, id);
            kinds.Add(e.Event);
            if (e.Event == kind)
            {
                return kinds;
            }

            Assert.DoesNotContain(e.Event, new[] { "failed", "declined", "expired" });
        }
    }

    private static async Task<string> CreateAsync(TestNode node, string text)
    {
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!;
        (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest(text, null))).EnsureSuccessStatusCode();
        return doc.Id;
    }

    private static async Task SetCursorAsync(TestNode node, string doc, int cursor) =>
        (await node.Http.PutAsJsonAsync("api/activity", new ActivityRequest([new ActivityDocumentRequest(doc, cursor, null, null, null, null)], null))).EnsureSuccessStatusCode();
}
