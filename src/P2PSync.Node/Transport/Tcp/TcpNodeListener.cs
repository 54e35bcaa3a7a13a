using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Identity;
using P2PSync.Node.Security;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.Tcp;

/// <summary>
/// Accepts peers on one TCP port (IPv6 dual-mode, so IPv4 clients get in too). Each accepted
/// socket runs the handshake as responder on its own task with a deadline; a device that is not
/// trusted, a bad handshake or a silent client closes that socket only and is logged. Only
/// authenticated connections come out of <see cref="AcceptAsync"/>.
/// </summary>
internal sealed class TcpNodeListener : IListener
{
    private readonly Socket _socket;
    private readonly DeviceKey _key;
    private readonly Func<DeviceId, bool> _isTrusted;
    private readonly TimeSpan _handshakeTimeout;
    private readonly ILogger _logger;
    private readonly Channel<IConnection> _accepted = Channel.CreateUnbounded<IConnection>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private TcpNodeListener(Socket socket, DeviceKey key, Func<DeviceId, bool> isTrusted, TimeSpan handshakeTimeout, ILogger logger)
    {
        _socket = socket;
        _key = key;
        _isTrusted = isTrusted;
        _handshakeTimeout = handshakeTimeout;
        _logger = logger;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port actually bound (useful when started with port 0).</summary>
    public int Port { get; }

    /// <summary>Binds and listens on every interface, IPv6 and IPv4, at <paramref name="port"/> (0 = any).</summary>
    /// <exception cref="SocketException">The port is taken or not allowed.</exception>
    public static TcpNodeListener Start(int port, DeviceKey key, Func<DeviceId, bool> isTrusted, TimeSpan handshakeTimeout, ILogger logger)
    {
        Socket socket;
        if (Socket.OSSupportsIPv6)
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        else
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }

        socket.Listen(128);
        return new TcpNodeListener(socket, key, isTrusted, handshakeTimeout, logger);
    }

    public async IAsyncEnumerable<IConnection> AcceptAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var connection in _accepted.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return connection;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var pending))
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. the client reset before we accepted it; the listener itself is fine.
                _logger.LogDebug("accept failed: {Error}", ex.SocketErrorCode);
                continue;
            }

            _ = HandshakeAsync(client);
        }
    }

    private async Task HandshakeAsync(Socket client)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var remote = client.RemoteEndPoint;
        client.NoDelay = true;
        var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_handshakeTimeout);
            var options = new SecureChannelOptions { AcceptRemote = _isTrusted };
            var channel = await SecureChannel.RespondAsync(stream, _key, options, timeout.Token).ConfigureAwait(false);
            var connection = new TcpConnection(channel, remote, initiatedLocally: false)
            {
                Established = System.Diagnostics.Stopwatch.GetElapsedTime(started),
            };
            if (!_accepted.Writer.TryWrite(connection))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Whatever a stranger sends, only this socket pays for it: the listener keeps serving.
            var reason = ex is OperationCanceledException ? "handshake timed out" : ex.Message;
            _logger.LogWarning("refused connection from {Remote}: {Reason}", remote, reason);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
