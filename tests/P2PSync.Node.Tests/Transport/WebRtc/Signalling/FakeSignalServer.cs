using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace P2PSync.Node.Tests.Transport.WebRtc.Signalling;

/// <summary>
/// Stands in for the relay's /signal: each connect the client makes becomes a loopback TCP pair
/// with WebSockets on both ends (no HTTP upgrade needed), and the test gets the server end to
/// read what the client sent and to send it anything, well-formed or not.
/// </summary>
internal sealed class FakeSignalServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<WebSocket> _accepted = Channel.CreateUnbounded<WebSocket>();
    private readonly List<WebSocket> _sockets = [];

    public FakeSignalServer() => _listener.Start();

    /// <summary>While true, connection attempts fail as if the relay were down.</summary>
    public bool Refusing { get; set; }

    public int Attempts { get; private set; }

    public async Task<WebSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        Attempts++;
        if (Refusing)
        {
            throw new WebSocketException("connection refused (fake relay is down)");
        }

        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)_listener.LocalEndpoint).Port, cancellationToken);
        var server = await _listener.AcceptTcpClientAsync(cancellationToken);
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        lock (_sockets)
        {
            _sockets.Add(serverSocket);
            _sockets.Add(clientSocket);
        }

        await _accepted.Writer.WriteAsync(serverSocket, cancellationToken);
        return clientSocket;
    }

    /// <summary>The server end of the next connection the client opens.</summary>
    public async Task<WebSocket> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    public static async Task<string> ReadTextAsync(WebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await ReadTextAsync(socket, cts.Token);
    }

    /// <summary>Reads frames until one satisfies <paramref name="match"/> (pings and the like are skipped).</summary>
    public static async Task<string> ReadUntilAsync(WebSocket socket, Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var text = await ReadTextAsync(socket, cts.Token);
            if (match(text))
            {
                return text;
            }
        }
    }

    private static async Task<string> ReadTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[128 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
        }
    }

    public static Task SendAsync(WebSocket socket, byte[] frame, WebSocketMessageType type = WebSocketMessageType.Text) =>
        socket.SendAsync(frame, type, endOfMessage: true, CancellationToken.None);

    public static Task SendAsync(WebSocket socket, string text) => SendAsync(socket, Encoding.UTF8.GetBytes(text));

    public ValueTask DisposeAsync()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Abort();
                socket.Dispose();
            }
        }

        _listener.Stop();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
