using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using P2PSync.Protocol.Relay;
using P2PSync.Relay.Metrics;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>Real Kestrel on 127.0.0.1: restart on the same data directory, graceful shutdown, slow consumers.</summary>
public sealed class MailboxRestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "p2psync-restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RestartKeepsEverythingPostedAndForgetsNothingAcknowledged()
    {
        var topic = TestBytes.Topic(1);
        var reader = DeviceKey.Create();
        var envelopes = Enumerable.Range(0, 20).Select(i => TestBytes.Random(1000 + i, 200 + i)).ToList();
        var cursors = new List<ulong>();
        WebSocketCloseStatus? closeSeenByConnectedClient;
        await using (var relay = new MailboxRelayFactory(_directory, ownsDirectory: false))
        {
            relay.StartOnLoopback();
            await using var readerClient = await relay.ConnectLoopbackAsync(reader);
            await readerClient.FetchAsync(topic);
            var poster = await relay.ConnectLoopbackAsync();
            foreach (var envelope in envelopes) cursors.Add(await poster.PostAsync(topic, envelope));
            await readerClient.AckAsync(topic, cursors[4]);
            var pending = poster.ReceiveOrCloseAsync(TimeSpan.FromSeconds(20));

            // Graceful shutdown with the poster still connected: it is told, not cut off.
            await relay.DisposeAsync();
            Assert.Null(await pending);
            closeSeenByConnectedClient = poster.CloseStatus;
            await poster.DisposeAsync();
        }

        await using var restarted = new MailboxRelayFactory(_directory, ownsDirectory: false);
        restarted.StartOnLoopback();
        await using var again = await restarted.ConnectLoopbackAsync(reader);
        var batch = await again.FetchAsync(topic);
        var next = await again.PostAsync(topic, [42]);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closeSeenByConnectedClient);
        Assert.Equal(cursors.Skip(5), batch.Items.Select(i => i.Cursor));
        Assert.Equal(envelopes.Skip(5), batch.Items.Select(i => i.Envelope.ToByteArray()));
        Assert.True(next > cursors[^1]);
    }

    [Fact]
    public async Task SubscriberThatStopsReadingIsDisconnectedAndOthersCarryOn()
    {
        await using var relay = new MailboxRelayFactory(_directory, ownsDirectory: false,
            ("Relay:SendQueueFrames", "2"), ("Relay:MaxEnvelopeBytes", "262144"));
        relay.StartOnLoopback();
        var metrics = relay.Services.GetRequiredService<RelayMetrics>();
        var topic = TestBytes.Topic(2);
        await using var slow = await relay.ConnectLoopbackAsync();
        await using var healthy = await relay.ConnectLoopbackAsync();
        await using var poster = await relay.ConnectLoopbackAsync();
        await slow.SubscribeAsync(topic);
        await healthy.SubscribeAsync(topic);
        var healthyReceived = 0;
        var envelope = TestBytes.Random(3, 256 * 1024);

        // The slow client reads nothing: TCP buffers fill, then its bounded queue, then it is cut off.
        var posts = 0;
        while (metrics.ReadReject("mailbox", "slow_consumer") == 0 && posts < 400)
        {
            await poster.PostAsync(topic, envelope);
            posts++;
            Assert.Equal(MailboxFrame.BodyOneofCase.Push, (await healthy.ReceiveAsync()).BodyCase);
            healthyReceived++;
        }
        var slowFrames = new List<MailboxFrame>();
        WebSocketCloseStatus? slowClose = null;
        try
        {
            slowFrames = await slow.ReadUntilCloseAsync(TimeSpan.FromSeconds(20));
            slowClose = slow.CloseStatus;
        }
        catch (WebSocketException)
        {
            // The relay gave up on the stuck send before the client read again: an abort, also a disconnect.
        }
        var afterwards = await poster.PostAsync(topic, [1]);

        Assert.Equal(1, metrics.ReadReject("mailbox", "slow_consumer"));
        Assert.True(slowClose is null or WebSocketCloseStatus.PolicyViolation, $"closed with {slowClose}");
        Assert.True(slowFrames.Count < posts, $"{slowFrames.Count} of {posts} pushes reached the slow client");
        Assert.Equal(MailboxFrame.BodyOneofCase.Push, (await healthy.ReceiveAsync()).BodyCase);
        Assert.Equal(posts, healthyReceived);
        Assert.True(afterwards > 0);
        Assert.Equal(posts + 1, relay.Services.GetRequiredService<IMailboxStore>().CountEnvelopes());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
