using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport;

/// <summary>
/// An authenticated, reliable, ordered message channel to one peer device (TCP + Noise on the
/// LAN, the in-memory network in tests). One message in is one message out: the transport keeps
/// message boundaries. Sending and receiving may run concurrently; two sends may not.
/// </summary>
internal interface IConnection : IAsyncDisposable
{
    /// <summary>The device at the other end, as proven by the handshake.</summary>
    DeviceId RemoteDevice { get; }

    /// <summary>Which kind of path this is, for logs and status: "lan", "webrtc", "memory".</summary>
    string Path { get; }

    /// <summary>Sends one message.</summary>
    /// <exception cref="IOException">The connection is closed or broke.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>The next message, or null once the connection is closed (cleanly or not).</summary>
    ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken);
}
