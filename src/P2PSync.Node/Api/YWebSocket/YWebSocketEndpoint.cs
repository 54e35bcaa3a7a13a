using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using P2PSync.Crdt;
using P2PSync.Node.Hosting;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Api.YWebSocket;

/// <summary>
/// <c>/yjs/{docId}</c>: the y-websocket server protocol over the node's live document, so an
/// unmodified y-websocket client edits it. Updates from the client are stored before they are
/// relayed; a client that sends garbage is closed with a protocol error and nothing is stored.
/// </summary>
internal sealed class YWebSocketEndpoint
{
    /// <summary>Largest message accepted from a client (a whole document as one step 2 fits).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly DocumentHub _hub;
    private readonly YRoomRegistry _rooms;
    private readonly ILogger _logger;
    private long _nextClientNumber;

    public YWebSocketEndpoint(DocumentHub hub, YRoomRegistry rooms, ILogger logger)
    {
        _hub = hub;
        _rooms = rooms;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context, string docId)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected a websocket upgrade\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (_hub.Get(docId) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"no document with id '{docId}'\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var client = new YWebSocketClient(socket, docId, Interlocked.Increment(ref _nextClientNumber));
        var room = _rooms.Join(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var sending = client.SendLoopAsync(stop.Token);
        _logger.LogInformation("websocket {Client} joined document {DocId}", client.OriginLabel, docId);
        WebSocketCloseStatus? closeWith = null;
        var closeReason = "bye";
        try
        {
            client.Enqueue(YWebsocketMessage.ForSync(SyncMessage.Step1(_hub.Read(docId, Y.EncodeStateVector))).Encode());
            if (room.CurrentAwareness() is { } awareness)
            {
                client.Enqueue(YWebsocketMessage.ForAwareness(awareness).Encode());
            }

            await ReceiveLoopAsync(socket, client, room, stop.Token).ConfigureAwait(false);
            closeWith = WebSocketCloseStatus.NormalClosure;
        }
        catch (YProtocolFormatException ex)
        {
            _logger.LogWarning("websocket {Client} on {DocId} closed: {Problem}", client.OriginLabel, docId, ex.Message);
            closeWith = WebSocketCloseStatus.ProtocolError;
            closeReason = ex.Message;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            _logger.LogInformation("websocket {Client} on {DocId} dropped: {Reason}", client.OriginLabel, docId, ex.Message);
        }
        finally
        {
            _rooms.Leave(room, client);
            client.CompleteOutbox();

            // A WebSocket allows one send at a time: let the send loop finish (briefly) before the close frame.
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await sending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            if (closeWith is { } status)
            {
                await CloseQuietlyAsync(socket, status, closeReason).ConfigureAwait(false);
            }

            _logger.LogInformation("websocket {Client} left document {DocId}", client.OriginLabel, docId);
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, YWebSocketClient client, YRoom room, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                if (buffer.WrittenCount >= MaxMessageBytes)
                {
                    throw new YProtocolFormatException($"message larger than {MaxMessageBytes} bytes");
                }

                result = await socket.ReceiveAsync(buffer.GetMemory(64 * 1024), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new YProtocolFormatException("text messages are not part of the y-websocket protocol");
            }

            Handle(YWebsocketMessage.Decode(buffer.WrittenSpan), client, room);
        }
    }

    private void Handle(YWebsocketMessage message, YWebSocketClient client, YRoom room)
    {
        switch (message.Type)
        {
            case YWebsocketMessageType.Sync when message.Sync!.Type == SyncMessageType.SyncStep1:
                var stateVector = message.Sync.Payload;
                var diff = Guard(() => _hub.Read(client.DocId, doc => Y.EncodeStateAsUpdate(doc, stateVector)));
                client.Enqueue(YWebsocketMessage.ForSync(SyncMessage.Step2(diff)).Encode());
                break;
            case YWebsocketMessageType.Sync:
                var update = message.Sync!.Payload;
                Guard(() => _hub.ApplyUpdate(client.DocId, update, client));
                break;
            case YWebsocketMessageType.Awareness:
                room.Remember(client, AwarenessUpdate.Decode(message.Awareness));
                room.Broadcast(message.Encode(), except: client);
                break;
            case YWebsocketMessageType.QueryAwareness:
                if (room.CurrentAwareness() is { } awareness)
                {
                    client.Enqueue(YWebsocketMessage.ForAwareness(awareness).Encode());
                }

                break;
            default:
                // Auth messages flow from server to client only.
                throw new YProtocolFormatException($"a client may not send {message.Type} messages");
        }
    }

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (UpdateFormatException ex)
        {
            throw new YProtocolFormatException($"bad update or state vector: {ex.Message}", ex);
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            // Close reasons are limited to 123 bytes by RFC 6455.
            var text = reason.Length > 100 ? reason[..100] : reason;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, text, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client is gone already; there is nobody left to tell.
        }
    }
}
