using P2PSync.Node.Security;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// An authenticated connection to a trusted device over WebRTC: the Noise channel
/// (<see cref="SecureChannel"/>) over the "p2psync" data channel of a peer connection that the
/// rendezvous set up. It joins the connection manager like a TCP connection (path "webrtc"); it
/// owns the peer connection and closes it when disposed.
/// </summary>
internal sealed class WebRtcConnection : IConnection
{
    /// <summary>The path name shown in logs, `status` and /api/peers.</summary>
    public const string PathName = "webrtc";

    private readonly SecureChannel _channel;
    private readonly PeerConnection _peer;
    private int _disposed;

    public WebRtcConnection(SecureChannel channel, PeerConnection peer, bool initiatedLocally)
    {
        _channel = channel;
        _peer = peer;
        InitiatedLocally = initiatedLocally;
    }

    public DeviceId RemoteDevice => _channel.RemoteDeviceId;

    public string Path => PathName;

    /// <summary>True when this node sent the offer.</summary>
    public bool InitiatedLocally { get; }

    /// <summary>Raised once, when the connection is disposed (by the connection manager or a failure).</summary>
    public event Action<WebRtcConnection>? Ended;

    /// <summary>Selected ICE pair, DTLS and SCTP counters, for logs and status.</summary>
    public PeerConnectionStats Stats => _peer.GetStats();

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProtocolViolationException or ObjectDisposedException)
        {
            throw new IOException($"WebRTC connection to {RemoteDevice.ToShortString()} is broken: {ex.Message}", ex);
        }
    }

    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProtocolViolationException or IOException or ObjectDisposedException)
        {
            // A tampered or truncated frame, or the data channel ended: this connection only.
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _peer.DisposeAsync().ConfigureAwait(false);
            Ended?.Invoke(this);
        }
    }
}
