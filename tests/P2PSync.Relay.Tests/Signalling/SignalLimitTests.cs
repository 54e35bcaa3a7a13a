using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>Each /signal limit closes the offending connection with its code, counts it, and leaves other clients alone.</summary>
public sealed class SignalLimitTests
{
    [Fact]
    public async Task OversizeMessage_ClosesWith1009_OthersUnaffected()
    {
        await using var relay = new SignalRelayFactory(("Signal:MaxMessageBytes", "1024"));
        await using var bystander = await SignalTestClient.ConnectAsync(relay);
        await bystander.SubscribeAsync("room");
        await using var client = await SignalTestClient.ConnectAsync(relay);

        await client.SendAsync("{\"type\":\"publish\",\"topic\":\"room\",\"data\":\"" + new string('x', 2000) + "\"}");

        var (status, description) = await client.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("message too big", description);
        await bystander.PingPongAsync();
        await bystander.ExpectNothingBeforePongAsync();
        Assert.Equal(1, relay.Services.GetRequiredService<RelayMetrics>().ReadReject("signal", "message_too_big"));
    }

    [Fact]
    public async Task MessageOfExactlyTheLimit_IsAccepted()
    {
        await using var relay = new SignalRelayFactory(("Signal:MaxMessageBytes", "100"));
        await using var client = await SignalTestClient.ConnectAsync(relay);
        var prefix = "{\"type\":\"ping\",\"pad\":\"";
        var message = prefix + new string('p', 100 - prefix.Length - 2) + "\"}";
        Assert.Equal(100, Encoding.UTF8.GetByteCount(message));

        await client.SendAsync(message);

        Assert.Equal("{\"type\":\"pong\"}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task TopicLongerThanTheLimit_ClosesWith1008()
    {
        await using var relay = new SignalRelayFactory(("Signal:MaxTopicBytes", "16"));
        await using var client = await SignalTestClient.ConnectAsync(relay);
        await client.SubscribeAsync(new string('t', 16));

        // 9 two-byte characters: 18 UTF-8 bytes, over the limit although only 9 characters.
        await client.SendAsync("{\"type\":\"subscribe\",\"topics\":[\"" + new string('é', 9) + "\"]}");

        var (status, description) = await client.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("topic too long", description);
    }

    [Fact]
    public async Task TooManyTopics_ClosesWith1008()
    {
        await using var relay = new SignalRelayFactory(("Signal:MaxTopicsPerConnection", "3"));
        await using var client = await SignalTestClient.ConnectAsync(relay);
        await client.SubscribeAsync("a", "b", "c");

        await client.SendAsync("{\"type\":\"subscribe\",\"topics\":[\"d\"]}");

        var (status, description) = await client.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("too many topics", description);
        var fanout = relay.Services.GetRequiredService<P2PSync.Relay.Signalling.ISignalFanout>();
        await SignalEndpointTests.WaitUntilAsync(() => fanout.TopicCount == 0);
    }

    [Fact]
    public async Task Flood_ClosesWith1008RateLimited_OthersUnaffected()
    {
        await using var relay = new SignalRelayFactory(("Signal:MessagesPerSecond", "1"), ("Signal:MessageBurst", "20"));
        await using var bystander = await SignalTestClient.ConnectAsync(relay);
        await using var flooder = await SignalTestClient.ConnectAsync(relay);

        for (var i = 0; i < 40 && flooder.Socket.State == WebSocketState.Open; i++)
        {
            await flooder.SendAsync("{\"type\":\"unsubscribe\",\"topics\":[]}");
        }

        var (status, description) = await flooder.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("rate limited", description);
        await bystander.PingPongAsync();
        Assert.Equal(1, relay.Services.GetRequiredService<RelayMetrics>().ReadReject("signal", "rate_limited"));
    }

    [Fact]
    public async Task SilentConnection_IsClosedAfterTheIdleTimeout()
    {
        await using var relay = new SignalRelayFactory(("Signal:IdleTimeout", "00:00:00.300"));
        await using var client = await SignalTestClient.ConnectAsync(relay);

        var (status, description) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("idle timeout", description);
    }

    [Fact]
    public async Task TooManyConnectionsFromOneAddress_Get429()
    {
        await using var relay = new SignalRelayFactory(("Signal:ConnectsPerWindow", "2"), ("Signal:ConnectWindow", "00:10:00"));
        await using var first = await SignalTestClient.ConnectAsync(relay);
        await using var second = await SignalTestClient.ConnectAsync(relay);
        using var http = relay.CreateClient();

        using var response = await http.GetAsync("/signal");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        await first.PingPongAsync();
    }

    [Fact]
    public async Task RelayShutdown_ClosesConnectionsWith1001()
    {
        var relay = new SignalRelayFactory();
        await using var client = await SignalTestClient.ConnectAsync(relay);
        await client.SubscribeAsync("room");

        var stopping = relay.DisposeAsync().AsTask();
        var (status, description) = await client.ReceiveCloseAsync();
        await stopping;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("shutting down", description);
    }
}
