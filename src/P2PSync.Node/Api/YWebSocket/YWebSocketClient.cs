using System.Net.WebSockets;
using System.Threading.Channels;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api.YWebSocket;

/// <summary>
/// One websocket connected to <c>/yjs/{docId}</c>. Sends go through an outbox drained by one
/// loop, because a WebSocket allows only one send at a time and relays arrive from many threads.
/// </summary>
internal sealed class YWebSocketClient : IUpdateSource
{
    private readonly WebSocket _socket;
    // Synchronous continuations: an idle send loop sends right in the relaying thread (no thread
    // pool hop per keystroke); a send that cannot complete at once still goes async.
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

    public YWebSocketClient(WebSocket socket, string docId, long number)
    {
        _socket = socket;
        DocId = docId;
        OriginLabel = $"ws:{number}";
    }

    public string DocId { get; }

    public string OriginLabel { get; }

    /// <summary>Queues a message; dropped silently once the client is closing.</summary>
    public void Enqueue(byte[] message) => _outbox.Writer.TryWrite(message);

    /// <summary>Marks the outbox complete; the send loop ends after what is queued.</summary>
    public void CompleteOutbox() => _outbox.Writer.TryComplete();

    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_socket.State != WebSocketState.Open)
            {
                return;
            }

            await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
