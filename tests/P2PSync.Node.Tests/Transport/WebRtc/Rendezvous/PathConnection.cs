using P2PSync.Node.Transport;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

/// <summary>A <see cref="FakeConnection"/> that reports a given path ("lan", "webrtc"), for the connection manager's path ranking.</summary>
internal sealed class PathConnection(DeviceId remote, string path) : IConnection
{
    private readonly FakeConnection _inner = new(remote);

    public DeviceId RemoteDevice => _inner.RemoteDevice;

    public string Path => path;

    public bool IsDisposed => _inner.IsDisposed;

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => _inner.SendAsync(message, cancellationToken);

    public ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken) => _inner.ReceiveAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
