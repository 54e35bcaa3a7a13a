using System.Net.Sockets;
using P2PSync.Node.Security;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.Tcp;

/// <summary>
/// An authenticated TCP connection to a trusted device: whole messages over a
/// <see cref="SecureChannel"/>. Any protocol violation or I/O error surfaces from the send or
/// receive call, and the owner disposes the connection; other connections are unaffected.
/// </summary>
internal sealed class TcpConnection : IConnection
{
    private readonly SecureChannel _channel;

    public TcpConnection(SecureChannel channel, System.Net.EndPoint? remoteEndPoint, bool initiatedLocally)
    {
        _channel = channel;
        RemoteEndPoint = remoteEndPoint;
        InitiatedLocally = initiatedLocally;
    }

    public DeviceId RemoteDevice => _channel.RemoteDeviceId;

    public string Path => "lan";

    /// <summary>The peer's address and port, for logs.</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; }

    /// <summary>True when this node dialed; used to break ties between simultaneous dials.</summary>
    public bool InitiatedLocally { get; }

    /// <summary>Why the connection ended, once <see cref="ReceiveAsync"/> returned null after an error.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>How long connecting and the handshake took (dialed: from the TCP connect; accepted: from the accept).</summary>
    public TimeSpan Established { get; init; }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProtocolViolationException or SocketException or ObjectDisposedException)
        {
            throw new IOException($"connection to {RemoteDevice.ToShortString()} is broken: {ex.Message}", ex);
        }
    }

    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProtocolViolationException or IOException or SocketException or ObjectDisposedException)
        {
            // A tampered, replayed or oversize frame kills this channel (and only this one).
            CloseReason = ex.Message;
            return null;
        }
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
