using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>Every message of y-webrtc's signalling protocol against /signal on the TestServer.</summary>
public sealed class SignalEndpointTests
{
    [Fact]
    public async Task Publish_ReachesEverySubscriberIncludingTheSender_WithTheClientsCount()
    {
        await using var relay = new SignalRelayFactory();
        await using var alice = await SignalTestClient.ConnectAsync(relay);
        await using var bob = await SignalTestClient.ConnectAsync(relay);
        await alice.SubscribeAsync("room");
        await bob.SubscribeAsync("room");

        await alice.SendAsync("{\"type\":\"publish\",\"topic\":\"room\",\"data\":{\"type\":\"announce\",\"from\":\"a\"}}");

        const string forwarded = "{\"type\":\"publish\",\"topic\":\"room\",\"data\":{\"type\":\"announce\",\"from\":\"a\"},\"clients\":2}";
        Assert.Equal(forwarded, await bob.ReceiveTextAsync());
        Assert.Equal(forwarded, await alice.ReceiveTextAsync());
    }

    [Fact]
    public async Task Publish_FromANonSubscriber_ReachesTheSubscribersOnly()
    {
        await using var relay = new SignalRelayFactory();
        await using var listener = await SignalTestClient.ConnectAsync(relay);
        await using var outsider = await SignalTestClient.ConnectAsync(relay);
        await listener.SubscribeAsync("room");

        await outsider.SendAsync("{\"type\":\"publish\",\"topic\":\"room\",\"clients\":99,\"data\":\"x\"}");

        // The sender's own "clients" field is overwritten in place with the real count.
        Assert.Equal("{\"type\":\"publish\",\"topic\":\"room\",\"clients\":1,\"data\":\"x\"}", await listener.ReceiveTextAsync());
        await outsider.ExpectNothingBeforePongAsync();
    }

    [Fact]
    public async Task Publish_ToOtherTopicsOrEmptyTopics_ReachesNobody()
    {
        await using var relay = new SignalRelayFactory();
        await using var listener = await SignalTestClient.ConnectAsync(relay);
        await using var sender = await SignalTestClient.ConnectAsync(relay);
        await listener.SubscribeAsync("room-a");

        await sender.SendAsync("{\"type\":\"publish\",\"topic\":\"room-b\",\"data\":1}");
        await sender.SendAsync("{\"type\":\"publish\",\"topic\":\"nobody-here\",\"data\":1}");
        await sender.PingPongAsync();

        await listener.ExpectNothingBeforePongAsync();
    }

    [Fact]
    public async Task Unsubscribe_StopsDelivery_AndEmptyTopicsAreForgotten()
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);
        await client.SubscribeAsync("room", "other");
        var fanout = relay.Services.GetRequiredService<P2PSync.Relay.Signalling.ISignalFanout>();
        Assert.Equal(2, fanout.TopicCount);

        await client.SendAsync("{\"type\":\"unsubscribe\",\"topics\":[\"room\"]}");
        await client.SendAsync("{\"type\":\"publish\",\"topic\":\"room\",\"data\":1}");
        await client.ExpectNothingBeforePongAsync();
        Assert.Equal(1, fanout.TopicCount);

        await client.SendAsync("{\"type\":\"publish\",\"topic\":\"other\",\"data\":2}");
        Assert.Equal(2, (await client.ReceiveJsonAsync()).GetProperty("data").GetInt32());
    }

    [Fact]
    public async Task SubscribingTwice_CountsTheClientOnce()
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);
        await client.SubscribeAsync("room", "room");
        await client.SubscribeAsync("room");

        await client.SendAsync("{\"type\":\"publish\",\"topic\":\"room\"}");

        Assert.Equal(1, (await client.ReceiveJsonAsync()).GetProperty("clients").GetInt32());
        await client.ExpectNothingBeforePongAsync();
    }

    [Fact]
    public async Task ClosingAConnection_RemovesItFromItsTopics()
    {
        await using var relay = new SignalRelayFactory();
        var metrics = relay.Services.GetRequiredService<RelayMetrics>();
        await using var stays = await SignalTestClient.ConnectAsync(relay);
        await stays.SubscribeAsync("room");
        var leaves = await SignalTestClient.ConnectAsync(relay);
        await leaves.SubscribeAsync("room", "only-leaver");
        await leaves.DisposeAsync();

        await WaitUntilAsync(() => metrics.Read("relay_signal_connections") == 1);
        await stays.SendAsync("{\"type\":\"publish\",\"topic\":\"room\"}");

        Assert.Equal(1, (await stays.ReceiveJsonAsync()).GetProperty("clients").GetInt32());
        Assert.Equal(1, relay.Services.GetRequiredService<P2PSync.Relay.Signalling.ISignalFanout>().TopicCount);
    }

    [Fact]
    public async Task Ping_IsAnsweredWithPong()
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);

        await client.SendAsync("{\"type\":\"ping\"}");

        Assert.Equal("{\"type\":\"pong\"}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task BinaryFrames_CarryJsonToo()
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);

        await client.SendBytesAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Binary);

        Assert.Equal("{\"type\":\"pong\"}", await client.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("{not json", "malformed_json")]
    [InlineData("{\"type\":\"ping\"} trailing", "malformed_json")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"\\ud800\"]}", "lone_surrogate")]
    [InlineData("{\"type\":\"publish\",\"topic\":\"r\",\"\\udc00\":1}", "lone_surrogate")]
    [InlineData("[1,2,3]", "not_an_object")]
    [InlineData("{\"topics\":[\"room\"]}", "missing_type")]
    [InlineData("{\"type\":\"dance\"}", "unknown_type")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":\"room\"}", "topics_not_an_array")]
    [InlineData("{\"type\":\"publish\",\"data\":1}", "missing_topic")]
    public async Task BadMessages_AreIgnored_Counted_AndTheConnectionGoesOn(string message, string reason)
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);
        var metrics = relay.Services.GetRequiredService<RelayMetrics>();

        await client.SendAsync(message);

        await client.ExpectNothingBeforePongAsync();
        Assert.Equal(1, metrics.ReadReject("signal", reason));
        await client.SubscribeAsync("still-works");
    }

    [Fact]
    public async Task InvalidUtf8_IsIgnored_Counted_AndTheConnectionGoesOn()
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);

        await client.SendBytesAsync([.. "{\"type\":\"publish\",\"topic\":\""u8, 0xC0, 0xAF, .. "\"}"u8]);

        await client.ExpectNothingBeforePongAsync();
        Assert.Equal(1, relay.Services.GetRequiredService<RelayMetrics>().ReadReject("signal", "invalid_utf8"));
    }

    [Fact]
    public async Task PlainHttpOnSignal_IsABadRequest()
    {
        await using var relay = new SignalRelayFactory();
        using var http = relay.CreateClient();

        using var response = await http.GetAsync("/signal");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_ShowSignalConnectionsTopicsAndRejects()
    {
        await using var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);
        await client.SubscribeAsync("room");
        await client.SendAsync("nope");
        await client.PingPongAsync();

        var text = relay.Services.GetRequiredService<RelayMetrics>().Render();

        Assert.Contains("relay_signal_connections 1\n", text);
        Assert.Contains("relay_signal_topics 1\n", text);
        Assert.Contains("relay_rejects_total{source=\"signal\",reason=\"malformed_json\"} 1\n", text);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
