using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Handoff between two real <c>p2psync up</c> processes on loopback (<c>--no-mdns</c>), driven by
/// the <c>p2psync activity</c>/<c>handoff</c> verbs: push (offer, accept, decline), pull, a
/// document the receiver never had, and refusals.
/// </summary>
[Collection("node processes")]
public sealed class TwoNodeHandoffTests
{
    private const string AppState = """{"panel":"outline","zoom":1.5,"scroll":{"top":120,"left":0},"tabs":["notes","todo"],"unicode":"grüße ✓"}""";

    [Fact]
    public async Task Offer_Accepted_ResumesTextCursorSelectionAndState_AndMarksSenderHandedOff()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await HandoffDriver.ConnectAsync(a, b);
        var doc = await a.CreateDocAsync("notes");
        await a.AppendAsync(doc.Id, "The quick brown fox jumps over the lazy dog.");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 10, anchor: 4, stateJson: AppState);
        await using var eventsA = await HandoffEventWatcher.OpenAsync(a);
        await using var eventsB = await HandoffEventWatcher.OpenAsync(b);

        var offer = P2PSyncCli.RunAsync(a, "handoff", "offer", "--to", b.DeviceId);
        var incoming = await HandoffDriver.IncomingOfferAsync(b, a);
        await P2PSyncCli.SucceedAsync(b, "handoff", "accept", incoming.Id);
        var offered = await offer;
        Assert.True(offered.Succeeded, $"{offered}\n--- a log ---\n{a.Log}");

        var resumed = await HandoffDriver.ShowActivityAsync(b);
        Assert.Equal(await a.TextAsync(doc.Id), await b.TextAsync(doc.Id));
        var resumedDoc = resumed.Document(doc.Id);
        Assert.Equal(10, resumedDoc.Cursor);
        Assert.Equal(4, resumedDoc.Anchor);
        Assert.True(resumed.StateEquals(AppState), $"state not carried over: {resumed.Raw}");
        Assert.Equal(a.DeviceId, (await HandoffDriver.ApiActivityAsync(b)).ResumedFrom);

        var sender = await HandoffDriver.ApiActivityAsync(a);
        Assert.Equal(b.DeviceId, sender.HandedOffTo);
        await eventsA.WaitForAsync(HandoffEventKinds.HandedOff, incoming.Id, HandoffDriver.Bound);
        var ready = await eventsB.WaitForAsync(HandoffEventKinds.Ready, incoming.Id, HandoffDriver.Bound);
        Assert.True(ready.Reason is null, $"b reported ready with unresolved positions: {ready.Reason}");
        Assert.Contains(eventsB.Events, e => e.Kind == HandoffEventKinds.Offered && e.Id == incoming.Id && e.Peer == a.DeviceId);
    }

    [Fact]
    public async Task Pull_ByTheReceiver_ResumesTheSendersActivity()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await HandoffDriver.ConnectAsync(a, b);
        var doc = await a.CreateDocAsync("draft");
        await a.AppendAsync(doc.Id, "first line\nsecond line\n");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 17, stateJson: AppState);
        await Eventually.TrueAsync(() => HandoffDriver.SeesActivityAsync(b, a, doc.Id), HandoffDriver.Bound, async () => await b.Http.GetStringAsync("api/handoff"));

        var pull = await P2PSyncCli.SucceedAsync(b, "handoff", "pull", a.DeviceId);

        var resumed = await HandoffDriver.ShowActivityAsync(b);
        Assert.Equal(await a.TextAsync(doc.Id), await b.TextAsync(doc.Id));
        Assert.Equal(17, resumed.Document(doc.Id).Cursor);
        Assert.True(resumed.StateEquals(AppState), $"state not carried over: {resumed.Raw}\n{pull}");
        await Eventually.TrueAsync(
            async () => (await HandoffDriver.ApiActivityAsync(a)).HandedOffTo == b.DeviceId,
            HandoffDriver.Bound,
            async () => await a.Http.GetStringAsync("api/activity"));
    }

    [Fact]
    public async Task NeverSeenDocument_CreatedWhileDisconnected_IsPulledRightAfterConnecting()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        var doc = await a.CreateDocAsync("made while b was away");
        await a.AppendAsync(doc.Id, "b has never seen this document; ");
        await a.AppendAsync(doc.Id, "its cursor sits in here.");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 40, anchor: 33);
        Assert.Null(await b.TextAsync(doc.Id));

        await HandoffDriver.ConnectAsync(a, b);
        await Eventually.TrueAsync(() => HandoffDriver.SeesActivityAsync(b, a, doc.Id), HandoffDriver.Bound, async () => await b.Http.GetStringAsync("api/handoff"));
        await P2PSyncCli.SucceedAsync(b, "handoff", "pull", a.DeviceId);

        Assert.Equal(await a.TextAsync(doc.Id), await b.TextAsync(doc.Id));
        Assert.Equal("made while b was away", await b.NameAsync(doc.Id));
        var resumed = await HandoffDriver.ShowActivityAsync(b);
        Assert.Equal(40, resumed.Document(doc.Id).Cursor);
        Assert.Equal(33, resumed.Document(doc.Id).Anchor);
    }

    [Fact]
    public async Task Offer_Declined_LeavesBothActivitiesAsTheyWere()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await HandoffDriver.ConnectAsync(a, b);
        var doc = await a.CreateDocAsync("not now");
        await a.AppendAsync(doc.Id, "declined handoffs change nothing");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 8, stateJson: AppState);
        var before = await HandoffDriver.ApiActivityAsync(b);
        await using var eventsA = await HandoffEventWatcher.OpenAsync(a);

        var offer = P2PSyncCli.RunAsync(a, "handoff", "offer", "--to", b.DeviceId);
        var incoming = await HandoffDriver.IncomingOfferAsync(b, a);
        await P2PSyncCli.SucceedAsync(b, "handoff", "decline", incoming.Id);
        var offered = await offer;

        Assert.Contains("declined", offered.Stdout + offered.Stderr, StringComparison.OrdinalIgnoreCase);
        await eventsA.WaitForAsync(HandoffEventKinds.Declined, incoming.Id, HandoffDriver.Bound);
        var sender = await HandoffDriver.ApiActivityAsync(a);
        Assert.Null(sender.HandedOffTo);
        Assert.Equal(8, sender.Document(doc.Id).Cursor);
        var receiver = await HandoffDriver.ApiActivityAsync(b);
        Assert.Null(receiver.ResumedFrom);
        Assert.Equal(before.Documents, receiver.Documents);
        Assert.Contains(await HandoffDriver.HandoffsAsync(b), h => h.Id == incoming.Id && h.Is("Declined"));
    }

    [Fact]
    public async Task Offer_ToAnUntrustedDevice_IsRefusedWithAClearError()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var stranger = await NodeProcess.StartAsync("stranger");
        var doc = await a.CreateDocAsync("private");
        await a.AppendAsync(doc.Id, "only for trusted devices");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 3);

        // The stranger even trusts a and dials it: a must still refuse, since a does not trust it.
        await stranger.TrustAsync(a);
        var refused = await P2PSyncCli.RunAsync(a, "handoff", "offer", "--to", stranger.DeviceId);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(stranger.DeviceId, refused.Stderr + refused.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", refused.Stderr, StringComparison.Ordinal);
        var api = await a.Http.PostAsync("api/handoff/offer", System.Net.Http.Json.JsonContent.Create(new { to = stranger.DeviceId }));
        Assert.InRange((int)api.StatusCode, 400, 499);
        Assert.Null(await stranger.TextAsync(doc.Id));
        Assert.Null((await HandoffDriver.ApiActivityAsync(a)).HandedOffTo);
        Assert.Empty(await HandoffDriver.HandoffsAsync(stranger));
    }

    /// <remarks>
    /// b gets the document by plain sync and nothing on b reads its text before the handoff, so
    /// b's root <c>text</c> is still the untyped placeholder a remote update creates: resolving
    /// the positions must not depend on someone having opened the text first.
    /// </remarks>
    [Fact]
    public async Task Pull_OfADocumentOnlySyncedSoFar_ResolvesBothPositionsBeforeReady()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await HandoffDriver.ConnectAsync(a, b);
        var doc = await a.CreateDocAsync("synced, never opened on b");
        await a.AppendAsync(doc.Id, "0123456789 abcdefghij");
        await Eventually.TrueAsync(
            async () => (await a.StatusAsync()).Docs.Single().Peers.GetValueOrDefault(b.DeviceId) == "in sync",
            HandoffDriver.Bound,
            async () => System.Text.Json.JsonSerializer.Serialize(await a.StatusAsync()));
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 15, anchor: 4);
        await Eventually.TrueAsync(() => HandoffDriver.SeesActivityAsync(b, a, doc.Id), HandoffDriver.Bound, async () => await b.Http.GetStringAsync("api/handoff"));
        await using var events = await HandoffEventWatcher.OpenAsync(b);

        var id = await HandoffDriver.PullViaApiAsync(b, a);
        var end = await events.WaitForEndAsync(id, HandoffDriver.Bound);

        Assert.True(end.Kind == HandoffEventKinds.Ready, $"ended {end.Kind} ({end.Reason})");
        Assert.True(end.Reason is null, $"b reported ready with unresolved positions: {end.Reason}");
        var resumed = await HandoffDriver.ShowActivityAsync(b);
        Assert.Equal(15, resumed.Document(doc.Id).Cursor);
        Assert.Equal(4, resumed.Document(doc.Id).Anchor);
    }

    /// <remarks>Both nodes run with `up --offer-timeout 3`, so the offer expires within seconds.</remarks>
    [Fact]
    public async Task Offer_NeverAnswered_ExpiresOnBothSides_AndCannotBeAcceptedAfterwards()
    {
        await using var a = await NodeProcess.StartAsync("a", extraArgs: ["--offer-timeout", "3"]);
        await using var b = await NodeProcess.StartAsync("b", extraArgs: ["--offer-timeout", "3"]);
        await HandoffDriver.ConnectAsync(a, b);
        var doc = await a.CreateDocAsync("unanswered");
        await a.AppendAsync(doc.Id, "nobody answers this offer");
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 6, stateJson: AppState);
        await using var eventsB = await HandoffEventWatcher.OpenAsync(b);

        var offer = P2PSyncCli.RunAsync(a.DataDirectory, TimeSpan.FromSeconds(120), "handoff", "offer", "--to", b.DeviceId);
        var incoming = await HandoffDriver.IncomingOfferAsync(b, a);
        var offered = await offer;

        Assert.NotEqual(0, offered.ExitCode);
        Assert.Contains("expired", offered.Stdout + offered.Stderr, StringComparison.OrdinalIgnoreCase);
        // The receiver hears of the expiry from the sender (a HandoffDecline whose reason says so).
        var ended = await eventsB.WaitForEndAsync(incoming.Id, TimeSpan.FromSeconds(30));
        Assert.True(ended.Kind == HandoffEventKinds.Expired || ended.Reason?.Contains("expired", StringComparison.OrdinalIgnoreCase) == true, $"b: {eventsB.Describe()}");
        Assert.DoesNotContain(await HandoffDriver.HandoffsAsync(b), h => h.Id == incoming.Id && h.Is("Offered"));
        var late = await P2PSyncCli.RunAsync(b, "handoff", "accept", incoming.Id);
        Assert.NotEqual(0, late.ExitCode);
        Assert.Null((await HandoffDriver.ApiActivityAsync(a)).HandedOffTo);
        Assert.Null((await HandoffDriver.ApiActivityAsync(b)).ResumedFrom);
    }
}
