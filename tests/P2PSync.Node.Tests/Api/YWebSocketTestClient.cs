using System.Buffers;
using System.Net.WebSockets;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Tests.Api;

/// <summary>A minimal y-websocket client over System.Net.WebSockets, with its own Doc.</summary>
internal sealed class YWebSocketTestClient : IAsyncDisposable
{
    private YWebSocketTestClient(ClientWebSocket socket, ulong clientId)
    {
        Socket = socket;
        Doc = new Doc(new DocOptions { ClientId = clientId });
    }

    public ClientWebSocket Socket { get; }

    public Doc Doc { get; }

    public static async Task<YWebSocketTestClient> ConnectAsync(Uri url, ulong clientId)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);
        return new YWebSocketTestClient(socket, clientId);
    }

    public Task SendAsync(YWebsocketMessage message) => SendRawAsync(message.Encode());

    public Task SendRawAsync(byte[] bytes) =>
        Socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<YWebsocketMessage?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer.GetMemory(4096), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return YWebsocketMessage.Decode(buffer.WrittenSpan);
            }
        }
    }

    /// <summary>Receives until a message matches, applying sync updates and step 2s to the local Doc on the way.</summary>
    public async Task<YWebsocketMessage> ReceiveUntilAsync(Func<YWebsocketMessage, bool> match, TimeSpan? timeout = null)
    {
        while (true)
        {
            var message = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("socket closed");
            if (message.Type == YWebsocketMessageType.Sync && message.Sync!.Type != SyncMessageType.SyncStep1)
            {
                Y.ApplyUpdate(Doc, message.Sync.Payload);
            }

            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>Reads until the server closes the socket (returns null) or a message arrives (returned).</summary>
    public async Task<YWebsocketMessage?> ReceiveUntilOrCloseAsync()
    {
        try
        {
            while (await ReceiveAsync() is { } message)
            {
                if (message.Type != YWebsocketMessageType.Sync)
                {
                    return message;
                }
            }

            return null;
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Server already gone.
            }
        }

        Socket.Dispose();
    }
}
