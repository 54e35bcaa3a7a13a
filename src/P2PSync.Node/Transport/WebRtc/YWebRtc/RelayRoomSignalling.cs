using System.Text.Json;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Transport.WebRtc.Signalling;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>A room's signalling through our relay's /signal: one <see cref="SignallingClient"/> per shared room.</summary>
internal sealed class RelayRoomSignalling : IRoomSignalling
{
    private readonly SignallingClient _client;

    private RelayRoomSignalling(SignallingClient client)
    {
        _client = client;
        _client.StateChanged += state =>
        {
            if (state == SignallingState.Connected)
            {
                Connected?.Invoke();
            }
        };
    }

    public event Action? Connected;

    public bool IsConnected => _client.State == SignallingState.Connected;

    /// <summary>
    /// Starts connecting to <paramref name="relay"/>'s /signal. Returns at once: while the relay is
    /// unreachable the client retries with backoff, and the room announces when it gets through.
    /// </summary>
    public static RelayRoomSignalling Start(Uri relay, TimeProvider time, Random random, ILogger logger)
    {
        var client = new SignallingClient(new SignallingClientOptions(), time, random, logger);
        var signalling = new RelayRoomSignalling(client);
        _ = client.ConnectAsync(SignallingClient.SignalUri(relay), CancellationToken.None).ContinueWith(
            attempt => logger.LogDebug("signalling at {Relay}: {Outcome}", relay, attempt.Exception?.GetBaseException().Message ?? "connected"),
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        return signalling;
    }

    public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken) => _client.SubscribeAsync(topic, cancellationToken);

    public ValueTask PublishAsync(string topic, JsonElement data, CancellationToken cancellationToken) => _client.PublishAsync(topic, data, cancellationToken);

    public IAsyncEnumerable<SignalMessage> ReadAllAsync(CancellationToken cancellationToken) => _client.ReadAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
