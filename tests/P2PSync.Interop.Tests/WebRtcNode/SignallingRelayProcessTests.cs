using System.Text.Json;
using P2PSync.Interop.Tests.Relay;
using P2PSync.Node.Transport.WebRtc.Signalling;

namespace P2PSync.Interop.Tests.WebRtcNode;

/// <summary>Our <see cref="SignallingClient"/> against a real relay process's /signal, including a relay restart on the same port.</summary>
public sealed class SignallingRelayProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TwoClients_MeetOnATopic_AndAgainAfterTheRelayRestarts()
    {
        using var scratch = new ScratchDirectory("signalling");
        var relay = await RelayProcess.StartAsync(scratch.Path);
        var port = relay.Port;
        var options = new SignallingClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500) };
        await using var alice = new SignallingClient(options, TimeProvider.System, new Random(1));
        await using var bob = new SignallingClient(options, TimeProvider.System, new Random(2));
        try
        {
            var url = SignallingClient.SignalUri(relay.Url);
            await alice.SubscribeAsync("space-topic");
            await bob.SubscribeAsync("space-topic");
            await alice.ConnectAsync(url, Timeout());
            await bob.ConnectAsync(url, Timeout());

            // The subscribe goes out before anything else on the connection, so a publish after it reaches bob.
            await PublishUntilHeardAsync(alice, bob, "hello-1");

            await relay.StopAsync();
            await relay.DisposeAsync();
            await Eventually(() => alice.State != SignallingState.Connected && bob.State != SignallingState.Connected);
            relay = await RelayProcess.StartAsync(scratch.Path, port);
            await Eventually(() => alice.State == SignallingState.Connected && bob.State == SignallingState.Connected);

            // Both subscribed again by themselves: bob hears alice, and alice hears bob.
            await PublishUntilHeardAsync(alice, bob, "hello-2");
            await PublishUntilHeardAsync(bob, alice, "hello-3");
            Assert.True(alice.Counters.Connections >= 2);
            Assert.Equal(0, alice.Counters.MalformedFrames + bob.Counters.MalformedFrames);
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }

    /// <summary>Publishes until the receiver reads it: right after a reconnect the receiver may not have re-subscribed yet, and the relay keeps nothing.</summary>
    private static async Task PublishUntilHeardAsync(SignallingClient from, SignallingClient to, string text)
    {
        using var deadline = new CancellationTokenSource(Wait);
        var data = JsonDocument.Parse(JsonSerializer.Serialize(new { text })).RootElement.Clone();
        var heard = Task.Run(async () =>
        {
            await foreach (var message in to.ReadAllAsync(deadline.Token))
            {
                if (message.Topic == "space-topic" && message.Data.ValueKind == JsonValueKind.Object && message.Data.GetProperty("text").GetString() == text)
                {
                    return message;
                }
            }

            throw new InvalidOperationException("reader ended");
        });
        while (!heard.IsCompleted)
        {
            await from.PublishAsync("space-topic", data);
            await Task.WhenAny(heard, Task.Delay(300, deadline.Token));
        }

        var received = await heard;
        Assert.True(received.Clients >= 1);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Wait).Token;

    private static async Task Eventually(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Wait, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
