using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Relay.Metrics;
using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>A subscriber that stops reading is cut off once its bounded queue fills; the publisher and other subscribers go on.</summary>
public sealed class SignalSlowConsumerTests
{
    [Fact]
    public async Task FullQueue_ClosesTheSlowConsumer_OthersGetEverything()
    {
        var metrics = new RelayMetrics();
        var fanout = new InProcessSignalFanout(metrics);
        var options = new SignalOptions { SendQueueCapacity = 4, IdleTimeout = TimeSpan.FromMinutes(5) };
        var socket = new StuckWebSocket();
        var slow = new SignalConnection(socket, fanout, options, metrics, TimeProvider.System, NullLogger.Instance);
        var running = slow.RunAsync(CancellationToken.None);
        await socket.Incoming.Writer.WriteAsync("{\"type\":\"subscribe\",\"topics\":[\"room\"]}"u8.ToArray());
        var fast = new RecordingSubscriber();
        fanout.Subscribe("room", fast);
        await SignalEndpointTests.WaitUntilAsync(() => Publish(fanout, -1) == 2);

        for (var i = 0; i < 20; i++)
        {
            Publish(fanout, i);
        }

        Assert.Equal(SignalCloseReason.SlowConsumer, slow.CloseReason);
        Assert.Equal(20, fast.Frames.Count(f => !f.Contains("-1", StringComparison.Ordinal)));
        // The stuck socket is aborted after the close handshake timeout, and the connection leaves its topics.
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(socket.Aborted);
        Assert.Equal(1, Publish(fanout, 99));
        Assert.Equal(1, metrics.ReadReject("signal", "slow_consumer"));
        Assert.True(socket.SendsStarted <= 1, $"sends started: {socket.SendsStarted}");
    }

    private static int Publish(ISignalFanout fanout, int n)
    {
        var bytes = Encoding.UTF8.GetBytes($"{{\"type\":\"publish\",\"topic\":\"room\",\"n\":{n}}}");
        using var document = JsonDocument.Parse(bytes);
        return fanout.Publish("room", bytes, document.RootElement);
    }
}
