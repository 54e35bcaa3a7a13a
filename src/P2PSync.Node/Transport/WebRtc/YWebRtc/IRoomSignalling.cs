using System.Text.Json;
using P2PSync.Node.Transport.WebRtc.Signalling;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// The part of the relay's /signal a y-webrtc room member uses. The node's implementation is
/// <see cref="RelayRoomSignalling"/> over <see cref="SignallingClient"/>; tests connect rooms in memory.
/// </summary>
internal interface IRoomSignalling : IAsyncDisposable
{
    /// <summary>Raised each time the connection is (re)established and subscribed: the room announces itself again, as y-webrtc does.</summary>
    event Action? Connected;

    bool IsConnected { get; }

    ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken);

    ValueTask PublishAsync(string topic, JsonElement data, CancellationToken cancellationToken);

    /// <summary>Every publish on a subscribed topic, our own included (the relay echoes them).</summary>
    IAsyncEnumerable<SignalMessage> ReadAllAsync(CancellationToken cancellationToken);
}
