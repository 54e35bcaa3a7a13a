using System.Net.Sockets;
using P2PSync.Node.Identity;
using P2PSync.Node.Security;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.Tcp;

/// <summary>Opens a TCP connection to one peer and runs the handshake as initiator.</summary>
internal sealed class TcpDialer
{
    private readonly DeviceKey _key;
    private readonly TimeSpan _handshakeTimeout;

    public TcpDialer(DeviceKey key, TimeSpan handshakeTimeout)
    {
        _key = key;
        _handshakeTimeout = handshakeTimeout;
    }

    /// <summary>
    /// Connects to <paramref name="address"/> and proves that the device there is
    /// <paramref name="expected"/> before revealing who we are (the channel refuses anyone else).
    /// </summary>
    /// <exception cref="SocketException">Could not connect.</exception>
    /// <exception cref="ProtocolViolationException">Handshake failed or the device is not <paramref name="expected"/>.</exception>
    /// <exception cref="TimeoutException">The handshake took too long.</exception>
    public async Task<TcpConnection> DialAsync(PeerAddress address, DeviceId expected, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_handshakeTimeout);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await socket.ConnectAsync(address.Host, address.Port, timeout.Token).ConfigureAwait(false);
                var stream = new NetworkStream(socket, ownsSocket: true);
                var options = new SecureChannelOptions { AcceptRemote = remote => remote.Equals(expected) };
                var channel = await SecureChannel.InitiateAsync(stream, _key, options, timeout.Token).ConfigureAwait(false);
                return new TcpConnection(channel, socket.RemoteEndPoint, initiatedLocally: true)
                {
                    Established = System.Diagnostics.Stopwatch.GetElapsedTime(started),
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no handshake with {address} within {_handshakeTimeout.TotalSeconds:0.#} s");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
