using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using P2PSync.Node.Transport.WebRtc.Signalling;

namespace P2PSync.Node.Tests.Transport.WebRtc.Signalling;

public sealed class SignallingClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly Uri Relay = new("ws://127.0.0.1:9/signal");

    [Fact]
    public async Task Subscribe_Publish_Receive_OverOneConnection()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server);
        await client.SubscribeAsync("room-a");
        await client.ConnectAsync(Relay, Timeout());
        var socket = await server.NextAsync(Wait);

        Assert.Equal("{\"type\":\"subscribe\",\"topics\":[\"room-a\"]}", await FakeSignalServer.ReadTextAsync(socket, Wait));
        await client.PublishAsync("room-a", Json("{\"type\":\"announce\",\"from\":\"p1\"}"));
        Assert.Equal("{\"type\":\"publish\",\"topic\":\"room-a\",\"data\":{\"type\":\"announce\",\"from\":\"p1\"}}", await FakeSignalServer.ReadTextAsync(socket, Wait));

        await FakeSignalServer.SendAsync(socket, "{\"type\":\"publish\",\"topic\":\"room-a\",\"data\":{\"x\":1},\"clients\":2}");
        var message = await FirstAsync(client);
        Assert.Equal("room-a", message.Topic);
        Assert.Equal(1, message.Data.GetProperty("x").GetInt32());
        Assert.Equal(2, message.Clients);
        Assert.Equal(SignallingState.Connected, client.State);
    }

    [Fact]
    public async Task MalformedFrames_AreSkippedAndCounted_ConnectionStaysUp()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server);
        await client.ConnectAsync(Relay, Timeout());
        var socket = await server.NextAsync(Wait);
        string[] bad = ["not json", "[1,2]", "{\"type\":7}", "{\"type\":\"publish\"}", "{\"type\":\"publish\",\"topic\":\"\"}", "{\"type\":\"publish\",\"topic\":5}", "", "{\"a\":"];
        foreach (var frame in bad)
        {
            await FakeSignalServer.SendAsync(socket, frame);
        }

        // As binary: a WebSocket refuses invalid UTF-8 in a text frame before we would see it.
        await FakeSignalServer.SendAsync(socket, [0xFF, 0xFE, 0x7B], WebSocketMessageType.Binary);
        await FakeSignalServer.SendAsync(socket, "{\"type\":\"welcome\"}");
        await FakeSignalServer.SendAsync(socket, "{\"type\":\"publish\",\"topic\":\"t\"}"u8.ToArray(), WebSocketMessageType.Binary);

        var message = await FirstAsync(client);
        Assert.Equal("t", message.Topic);
        Assert.Equal(JsonValueKind.Null, message.Data.ValueKind);
        Assert.Equal(bad.Length + 1, client.Counters.MalformedFrames);
        Assert.Equal(SignallingState.Connected, client.State);
        Assert.Equal(1, client.Counters.Connections);
    }

    [Fact]
    public async Task OversizeFrame_IsSkipped_NextFrameStillArrives()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server, new SignallingClientOptions { MaxMessageBytes = 1024 });
        await client.ConnectAsync(Relay, Timeout());
        var socket = await server.NextAsync(Wait);
        await FakeSignalServer.SendAsync(socket, "{\"type\":\"publish\",\"topic\":\"t\",\"data\":\"" + new string('x', 5000) + "\"}");
        await FakeSignalServer.SendAsync(socket, "{\"type\":\"publish\",\"topic\":\"t\",\"data\":\"small\"}");

        Assert.Equal("small", (await FirstAsync(client)).Data.GetString());
        Assert.Equal(1, client.Counters.MalformedFrames);
    }

    [Fact]
    public async Task Drop_ReconnectsAndSubscribesAgain_QueuedPublishLeavesAfterwards()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server);
        var states = new List<SignallingState>();
        client.StateChanged += s => { lock (states) { states.Add(s); } };
        await client.ConnectAsync(Relay, Timeout());
        var first = await server.NextAsync(Wait);
        await client.SubscribeAsync("a");
        await client.SubscribeAsync("b");
        await FakeSignalServer.ReadUntilAsync(first, t => t.Contains("\"b\"", StringComparison.Ordinal), Wait);

        server.Refusing = true;
        first.Abort();
        await Eventually(() => server.Attempts >= 3);
        await client.PublishAsync("a", Json("\"while down\""));
        server.Refusing = false;

        var second = await server.NextAsync(Wait);
        Assert.Equal("{\"type\":\"subscribe\",\"topics\":[\"a\",\"b\"]}", await FakeSignalServer.ReadTextAsync(second, Wait));
        Assert.Contains("while down", await FakeSignalServer.ReadUntilAsync(second, t => t.Contains("publish", StringComparison.Ordinal), Wait), StringComparison.Ordinal);
        await Eventually(() => client.State == SignallingState.Connected);
        lock (states)
        {
            Assert.Contains(SignallingState.Disconnected, states);
            Assert.Equal(SignallingState.Connected, states[^1]);
        }
    }

    [Fact]
    public async Task ServerClose_Reconnects()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server);
        await client.SubscribeAsync("x");
        await client.ConnectAsync(Relay, Timeout());
        var first = await server.NextAsync(Wait);
        await first.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "shutting down", CancellationToken.None);
        var second = await server.NextAsync(Wait);
        Assert.Equal("{\"type\":\"subscribe\",\"topics\":[\"x\"]}", await FakeSignalServer.ReadTextAsync(second, Wait));
        await Eventually(() => client.Counters.Connections == 2);
    }

    [Fact]
    public async Task Pings_MeasureRoundTrip_AndSilenceCountsAsDead()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server, new SignallingClientOptions { PingInterval = TimeSpan.FromMilliseconds(100), DeadAfter = TimeSpan.FromMilliseconds(450) });
        await client.ConnectAsync(Relay, Timeout());
        var socket = await server.NextAsync(Wait);
        Assert.Equal("{\"type\":\"ping\"}", await FakeSignalServer.ReadTextAsync(socket, Wait));
        await FakeSignalServer.SendAsync(socket, "{\"type\":\"pong\"}");
        await Eventually(() => client.RoundTrip is not null);

        // Pings keep coming, but no pong: the client gives the connection up and opens another.
        var second = await server.NextAsync(Wait);
        Assert.NotNull(second);
        Assert.True(client.Counters.Connections >= 2);
    }

    [Fact]
    public async Task Unreachable_ConnectAsyncThrowsWithTheReason_AndKeepsTrying()
    {
        await using var server = new FakeSignalServer { Refusing = true };
        await using var client = NewClient(server);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var failure = await Assert.ThrowsAsync<SignallingException>(() => client.ConnectAsync(Relay, shortWait.Token));
        Assert.Contains("fake relay is down", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Relay.ToString(), failure.Message, StringComparison.Ordinal);

        server.Refusing = false;
        await server.NextAsync(Wait);
        await Eventually(() => client.State == SignallingState.Connected);
    }

    [Fact]
    public async Task BadArguments_AreRefusedClearly()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server, new SignallingClientOptions { MaxTopics = 2, MaxTopicBytes = 8, MaxMessageBytes = 200, SendQueueCapacity = 3 });
        await Assert.ThrowsAsync<ArgumentException>(() => client.ConnectAsync(new Uri("http://127.0.0.1:1/signal"), Timeout()));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await client.SubscribeAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SubscribeAsync("123456789"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.PublishAsync("t", default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.PublishAsync("t", Json("\"" + new string('x', 300) + "\"")));
        await client.SubscribeAsync("a");
        await client.SubscribeAsync("b");
        var tooMany = await Assert.ThrowsAsync<SignallingException>(async () => await client.SubscribeAsync("c"));
        Assert.Contains("at most 2 topics", tooMany.Message, StringComparison.Ordinal);

        // Never connected: three publishes fill the queue of 3 (subscribes wait for the connection's subscribe-all).
        await client.PublishAsync("a", Json("1"));
        await client.PublishAsync("a", Json("2"));
        await client.PublishAsync("a", Json("3"));
        var full = await Assert.ThrowsAsync<SignallingException>(async () => await client.PublishAsync("a", Json("4")));
        Assert.Contains("queue is full", full.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowReader_LosesTheOldest_AndItIsCounted()
    {
        await using var server = new FakeSignalServer();
        await using var client = NewClient(server, new SignallingClientOptions { ReceiveQueueCapacity = 4 });
        await client.ConnectAsync(Relay, Timeout());
        var socket = await server.NextAsync(Wait);
        for (var i = 0; i < 10; i++)
        {
            await FakeSignalServer.SendAsync(socket, $"{{\"type\":\"publish\",\"topic\":\"t\",\"data\":{i}}}");
        }

        await Eventually(() => client.Counters.Received == 10);
        Assert.Equal(6, client.Counters.DroppedReceived);
        Assert.Equal(6, (await FirstAsync(client)).Data.GetInt32());
    }

    [Fact]
    public async Task Dispose_EndsTheReader_AndRefusesLaterCalls()
    {
        await using var server = new FakeSignalServer();
        var client = NewClient(server);
        await client.ConnectAsync(Relay, Timeout());
        var reading = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var unused in client.ReadAllAsync(CancellationToken.None))
            {
                count++;
            }

            return count;
        });
        await client.DisposeAsync();
        Assert.Equal(0, await reading.WaitAsync(Wait));
        Assert.Equal(SignallingState.Closed, client.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.SubscribeAsync("t"));
    }

    [Fact]
    public void SignalUri_FromRelayBase()
    {
        Assert.Equal(new Uri("ws://h:5/signal"), SignallingClient.SignalUri(new Uri("http://h:5")));
        Assert.Equal(new Uri("wss://h/r/signal"), SignallingClient.SignalUri(new Uri("https://h/r/")));
        Assert.Throws<ArgumentException>(() => SignallingClient.SignalUri(new Uri("ftp://h")));
    }

    internal static SignallingClient NewClient(FakeSignalServer server, SignallingClientOptions? options = null) =>
        new(
            (options ?? new SignallingClientOptions()) with { Connector = server.ConnectAsync, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100) },
            TimeProvider.System,
            new Random(8));

    internal static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Wait).Token;

    private static async Task<SignalMessage> FirstAsync(SignallingClient client)
    {
        using var cts = new CancellationTokenSource(Wait);
        await foreach (var message in client.ReadAllAsync(cts.Token))
        {
            return message;
        }

        throw new InvalidOperationException("the reader ended");
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Wait, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
