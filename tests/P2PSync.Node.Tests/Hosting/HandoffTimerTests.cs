using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Api;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Hosting;

/// <summary><see cref="NodeHandoff"/> on a manual clock: the poll timer follows the engine's wake-ups, outputs reach the link.</summary>
public sealed class HandoffTimerTests
{
    [Fact]
    public async Task Offer_ExpiresWhenTheTimerFires_AndThePeerIsToldSo()
    {
        await using var node = await TestNode.StartAsync();
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!.Id;
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        using var local = DeviceKey.Generate();
        using var peer = DeviceKey.Generate();
        var links = new PeerLinkRegistry();
        var activity = new ActivityStore(time);
        var ids = 0;
        using var handoff = new NodeHandoff(local.Id, node.Host.Documents, node.Host.Spaces, links, activity, time, () => "h" + ++ids, new HandoffOptions { OfferTimeout = TimeSpan.FromSeconds(5) }, NullLogger.Instance);
        var connection = new HandoffRecordingConnection(peer.Id);
        var link = new PeerLink(connection);
        using var stop = new CancellationTokenSource();
        var writing = link.WriteLoopAsync(stop.Token);
        links.Add(peer.Id, link);
        handoff.OnConnected(peer.Id);
        using var events = handoff.Events.Subscribe(null);
        activity.Set([new ActivityDocument(doc, null, null, null)], null);

        var id = handoff.Offer(peer.Id);
        Assert.Equal("h1", id);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(5), time.NextDue);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HandoffState.Offered, Assert.Single(handoff.Handoffs).State);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HandoffState.Expired, Assert.Single(handoff.Handoffs).State);
        Assert.Null(time.NextDue);
        var expired = (await events.Live.ReadAsync()).Event;
        Assert.Equal((HandoffEvent.Expired, "h1"), (expired.Kind, expired.HandoffId));
        // The peer got our Presence on connect, the offer, its decline on expiry, and (after the
        // activity change, answered on the pool) a newer Presence.
        await Eventually.HoldsAsync(() => connection.Sent.Count(e => e.BodyCase == Envelope.BodyOneofCase.Presence) == 2, TimeSpan.FromSeconds(10));
        var sent = connection.Sent.Select(e => e.BodyCase).Where(b => b != Envelope.BodyOneofCase.Presence).ToList();
        Assert.Equal([Envelope.BodyOneofCase.HandoffOffer, Envelope.BodyOneofCase.HandoffDecline], sent);
        Assert.Equal(1UL, connection.Sent.Where(e => e.BodyCase == Envelope.BodyOneofCase.Presence).Max(e => e.Presence.Version));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);
    }

    [Fact]
    public async Task LastLinkGone_FailsTheHandoff_AndLaterOutputsAreDroppedNotThrown()
    {
        await using var node = await TestNode.StartAsync();
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!.Id;
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        using var local = DeviceKey.Generate();
        using var peer = DeviceKey.Generate();
        var links = new PeerLinkRegistry();
        var activity = new ActivityStore(time);
        activity.Set([new ActivityDocument(doc, null, null, null)], null);
        using var handoff = new NodeHandoff(local.Id, node.Host.Documents, node.Host.Spaces, links, activity, time, () => "x", new HandoffOptions(), NullLogger.Instance);
        var first = new PeerLink(new HandoffRecordingConnection(peer.Id));
        var second = new PeerLink(new HandoffRecordingConnection(peer.Id));
        links.Add(peer.Id, first);
        handoff.OnConnected(peer.Id);
        links.Add(peer.Id, second);
        handoff.OnConnected(peer.Id);
        handoff.Offer(peer.Id);

        // The older of two overlapping links closes: the device is still there.
        Assert.False(links.Remove(peer.Id, first));
        Assert.Equal(HandoffState.Offered, Assert.Single(handoff.Handoffs).State);
        Assert.True(links.Remove(peer.Id, second));
        handoff.OnDisconnected(peer.Id);

        var failed = Assert.Single(handoff.Handoffs);
        Assert.Equal(HandoffState.Failed, failed.State);
        Assert.Contains("lost", failed.Reason, StringComparison.Ordinal);
        Assert.Throws<HandoffException>(() => handoff.Offer(peer.Id));
        Assert.False(links.Send(peer.Id, new Envelope { Ping = new Ping() }));
    }
}
