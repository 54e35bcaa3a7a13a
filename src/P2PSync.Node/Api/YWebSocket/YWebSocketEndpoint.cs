using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using P2PSync.Crdt;
using P2PSync.Node.Handoff;
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

    /// <summary>Most messages handled as one group commit (bounds the latency a backlog adds).</summary>
    private const int MaxBatchMessages = 512;

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
            if (_rooms.Awareness.Current(docId) is { } awareness)
            {
                client.Enqueue(YWebsocketMessage.ForAwareness(awareness).Encode());
            }

            await ReceiveLoopAsync(socket, client, stop.Token).ConfigureAwait(false);
            closeWith = WebSocketCloseStatus.NormalClosure;
        }
        catch (Exception ex) when (ex is YProtocolFormatException or AwarenessFormatException)
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

    /// <remarks>
    /// Group commit: messages that have already arrived (the next receive completes at once) are
    /// collected and handled as one batch, so a burst of updates costs one store commit. A batch is
    /// handled as soon as the socket has nothing more ready, so a lone keystroke never waits.
    /// </remarks>
    private async Task ReceiveLoopAsync(WebSocket socket, YWebSocketClient client, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var ready = new List<YWebsocketMessage>();
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                if (buffer.WrittenCount >= MaxMessageBytes)
                {
                    HandleBatch(ready, client);
                    throw new YProtocolFormatException($"message larger than {MaxMessageBytes} bytes");
                }

                var receiving = socket.ReceiveAsync(buffer.GetMemory(64 * 1024), cancellationToken);
                if (!receiving.IsCompleted && ready.Count > 0)
                {
                    HandleBatch(ready, client);
                }

                result = await receiving.ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    HandleBatch(ready, client);
                    return;
                }

                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                HandleBatch(ready, client);
                throw new YProtocolFormatException("text messages are not part of the y-websocket protocol");
            }

            YWebsocketMessage message;
            try
            {
                message = YWebsocketMessage.Decode(buffer.WrittenSpan);
            }
            catch (YProtocolFormatException)
            {
                // What arrived before the garbage is handled (and stored) exactly as without batching.
                HandleBatch(ready, client);
                throw;
            }

            ready.Add(message);
            if (ready.Count >= MaxBatchMessages)
            {
                HandleBatch(ready, client);
            }
        }
    }

    /// <summary>
    /// Handles the messages in order as one group commit; replies and relays go out only after the
    /// commit, so nothing leaves the node before it is durable. Clears <paramref name="messages"/>.
    /// </summary>
    private void HandleBatch(List<YWebsocketMessage> messages, YWebSocketClient client)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var replies = new List<Action>();
        try
        {
            _hub.Batch(() =>
            {
                foreach (var message in messages)
                {
                    Handle(message, client, replies);
                }

                return replies.Count;
            });
        }
        finally
        {
            messages.Clear();
        }

        foreach (var reply in replies)
        {
            reply();
        }
    }

    private void Handle(YWebsocketMessage message, YWebSocketClient client, List<Action> replies)
    {
        switch (message.Type)
        {
            case YWebsocketMessageType.Sync when message.Sync!.Type == SyncMessageType.SyncStep1:
                var stateVector = message.Sync.Payload;
                var diff = Guard(() => _hub.EncodeDiff(client.DocId, stateVector));
                replies.Add(() => client.Enqueue(YWebsocketMessage.ForSync(SyncMessage.Step2(diff)).Encode()));
                break;
            case YWebsocketMessageType.Sync:
                var update = message.Sync!.Payload;
                try
                {
                    Guard(() => _hub.ApplyUpdate(client.DocId, update, client));
                }
                catch (ReadOnlyDocumentException ex) when (!IsEmptyUpdate(update))
                {
                    // A viewer's editor may still send edits: they are not applied, and the client
                    // hears why through y-websocket's own auth message, but keeps its connection so
                    // it goes on receiving everyone else's edits (which a viewer may read).
                    var denied = YWebsocketMessage.PermissionDenied(ex.Message).Encode();
                    replies.Add(() => client.Enqueue(denied));
                }
                catch (ReadOnlyDocumentException)
                {
                    // The empty update every client sends as its SyncStep2 when it has nothing new:
                    // nothing was refused, so there is nothing to tell it.
                }

                break;
            case YWebsocketMessageType.Awareness:
                // Checked now (a bad one closes the client like any bad message), applied after the
                // commit: the hub's relays must not run under the document hub's lock.
                var awarenessUpdate = message.Awareness!;
                AwarenessHub.Validate(client.DocId, awarenessUpdate);
                replies.Add(() => _rooms.Awareness.OnLocalUpdate(client.DocId, client, awarenessUpdate));
                break;
            case YWebsocketMessageType.QueryAwareness:
                replies.Add(() =>
                {
                    if (_rooms.Awareness.Current(client.DocId) is { } awareness)
                    {
                        client.Enqueue(YWebsocketMessage.ForAwareness(awareness).Encode());
                    }
                });

                break;
            default:
                // Auth messages flow from server to client only.
                throw new YProtocolFormatException($"a client may not send {message.Type} messages");
        }
    }

    /// <summary>A Yjs v1 update with no structs and an empty delete set (two zero varuints): changes nothing.</summary>
    private static bool IsEmptyUpdate(byte[] update) => update is [0, 0];

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
