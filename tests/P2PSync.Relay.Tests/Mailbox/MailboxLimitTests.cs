using System.Net;
using System.Net.WebSockets;
using Google.Protobuf;
using P2PSync.Protocol.Relay;
using P2PSync.Relay.Mailbox;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>Quotas, size caps and rate limits: each refused with its code, the connection (or relay) unharmed.</summary>
public sealed class MailboxLimitTests
{
    [Fact]
    public async Task TopicEnvelopeCountQuotaRefusesTheNextPost()
    {
        await using var relay = new MailboxRelayFactory(("Relay:TopicQuotaEnvelopes", "3"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(1);
        for (var i = 0; i < 3; i++) await client.PostAsync(topic, [(byte)i]);

        await client.SendAsync(MailboxTestClient.PostFrame(topic, [9]));
        var error = await client.ExpectErrorAsync(MailboxErrorCodes.Quota);
        var otherTopic = await client.PostAsync(TestBytes.Topic(2), [9]);

        Assert.Contains("count", error.Message);
        Assert.True(otherTopic > 0);
    }

    [Fact]
    public async Task TopicByteQuotaRefusesThePostThatWouldExceedIt()
    {
        await using var relay = new MailboxRelayFactory(("Relay:TopicQuotaBytes", "1000"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(1);
        await client.PostAsync(topic, new byte[600]);

        await client.SendAsync(MailboxTestClient.PostFrame(topic, new byte[401]));
        var error = await client.ExpectErrorAsync(MailboxErrorCodes.Quota);
        var fits = await client.PostAsync(topic, new byte[400]);

        Assert.Contains("topic byte", error.Message);
        Assert.True(fits > 0);
    }

    [Fact]
    public async Task DeviceByteQuotaCountsAcrossTopicsAndFreesOnDeletion()
    {
        await using var relay = new MailboxRelayFactory(("Relay:DeviceQuotaBytes", "1000"));
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var other = await relay.ConnectAuthenticatedAsync();
        await using var reader = await relay.ConnectAuthenticatedAsync();
        await reader.FetchAsync(TestBytes.Topic(1));
        var cursor = await poster.PostAsync(TestBytes.Topic(1), new byte[700]);

        await poster.SendAsync(MailboxTestClient.PostFrame(TestBytes.Topic(2), new byte[301]));
        var error = await poster.ExpectErrorAsync(MailboxErrorCodes.Quota);
        var otherDevice = await other.PostAsync(TestBytes.Topic(2), new byte[900]);
        await reader.AckAsync(TestBytes.Topic(1), cursor);
        var afterDeletion = await poster.PostAsync(TestBytes.Topic(2), new byte[900]);

        Assert.Contains("device", error.Message);
        Assert.True(otherDevice > 0);
        Assert.True(afterDeletion > otherDevice);
    }

    [Fact]
    public async Task EnvelopeOverTheSizeCapIsRefusedButTheConnectionStays()
    {
        await using var relay = new MailboxRelayFactory(("Relay:MaxEnvelopeBytes", "1024"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(1);

        await client.SendAsync(MailboxTestClient.PostFrame(topic, new byte[1025]));
        await client.ExpectErrorAsync(MailboxErrorCodes.TooLarge);
        var fits = await client.PostAsync(topic, new byte[1024]);

        Assert.True(fits > 0);
    }

    [Fact]
    public async Task FrameOverTheCapClosesWith1009AndOthersAreUnaffected()
    {
        await using var relay = new MailboxRelayFactory(("Relay:MaxFrameBytes", "2048"), ("Relay:MaxEnvelopeBytes", "1024"));
        await using var bystander = await relay.ConnectAuthenticatedAsync();
        await using var client = await relay.ConnectAuthenticatedAsync();

        await client.SendRawAsync(new byte[2049]);
        var frames = await client.ReadUntilCloseAsync();
        var stillServed = await bystander.PostAsync(TestBytes.Topic(1), [1]);

        Assert.Empty(frames);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        Assert.True(stillServed > 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public async Task TopicOfTheWrongLengthIsInvalidForEveryRequest(int length)
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = ByteString.CopyFrom(new byte[length]);
        MailboxFrame[] requests =
        [
            new() { Post = new Post { Topic = topic, Envelope = ByteString.CopyFrom(1) } },
            new() { Fetch = new Fetch { Topic = topic } },
            new() { Subscribe = new Subscribe { Topic = topic } },
            new() { Ack = new Ack { Topic = topic, Cursor = 1 } },
        ];

        foreach (var request in requests)
        {
            await client.SendAsync(request);
            await client.ExpectErrorAsync(MailboxErrorCodes.Invalid);
        }
        Assert.True(await client.PostAsync(TestBytes.Topic(1), [1]) > 0);
    }

    [Fact]
    public async Task EmptyEnvelopeIsInvalid()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();

        await client.SendAsync(MailboxTestClient.PostFrame(TestBytes.Topic(1), []));

        await client.ExpectErrorAsync(MailboxErrorCodes.Invalid);
    }

    [Fact]
    public async Task DeviceThatSendsTooFastIsRateLimitedWhileAnotherDeviceIsNot()
    {
        await using var relay = new MailboxRelayFactory(("Relay:DeviceFrameBurst", "5"), ("Relay:DeviceFramesPerSecond", "1"));
        var key = DeviceKey.Create();
        await using var flooder = await relay.ConnectAuthenticatedAsync(key);
        await using var secondConnection = await relay.ConnectAuthenticatedAsync(key);
        await using var calm = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(1);

        for (var i = 0; i < 10; i++) await flooder.SendAsync(new MailboxFrame { Fetch = new Fetch { Topic = ByteString.CopyFrom(topic) } });
        var replies = new List<MailboxFrame>();
        for (var i = 0; i < 10; i++) replies.Add(await flooder.ReceiveAsync());
        await secondConnection.SendAsync(new MailboxFrame { Fetch = new Fetch { Topic = ByteString.CopyFrom(topic) } });
        var sameDeviceElsewhere = await secondConnection.ReceiveAsync();
        var calmBatch = await calm.FetchAsync(topic);

        Assert.Contains(replies, r => r.BodyCase == MailboxFrame.BodyOneofCase.Error && r.Error.Code == MailboxErrorCodes.RateLimited);
        Assert.Contains(replies, r => r.BodyCase == MailboxFrame.BodyOneofCase.Batch);
        Assert.Equal(MailboxErrorCodes.RateLimited, sameDeviceElsewhere.Error?.Code);
        Assert.Empty(calmBatch.Items);
    }

    [Fact]
    public async Task ConnectionsOverThePerIpLimitGet429()
    {
        await using var relay = new MailboxRelayFactory(("Relay:ConnectionsPerIpPerMinute", "2"));
        using var http = relay.CreateClient();

        using var first = await http.GetAsync("/mailbox");
        using var second = await http.GetAsync("/mailbox");
        using var third = await http.GetAsync("/mailbox");
        var refusedUpgrade = await Assert.ThrowsAnyAsync<Exception>(() => relay.ConnectAsync());
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode); // a plain GET is not a WebSocket
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("429", refusedUpgrade.Message);
        Assert.Contains("relay_rejects_total{source=\"mailbox\",reason=\"connect_rate\"} 2", metrics);
    }

    [Fact]
    public async Task TextFramesAreRefusedAsMalformed()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();

        await client.SendRawAsync("{\"type\":\"post\"}"u8.ToArray(), WebSocketMessageType.Text);

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.Malformed, WebSocketCloseStatus.InvalidMessageType);
    }

    [Fact]
    public async Task RelayOnlyFramesFromAClientAreUnexpected()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();

        await client.SendAsync(new MailboxFrame { Posted = new Posted { Topic = ByteString.CopyFrom(TestBytes.Topic(1)), Cursor = 1 } });

        await client.ExpectErrorAsync(MailboxErrorCodes.Unexpected);
    }
}
