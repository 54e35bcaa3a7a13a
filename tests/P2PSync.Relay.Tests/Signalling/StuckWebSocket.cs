using System.Net.WebSockets;
using System.Threading.Channels;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>
/// A WebSocket whose peer never reads: every send waits until cancelled or the socket is aborted,
/// the way a send to a client with full TCP buffers does (ManagedWebSocket's Abort fails pending
/// sends). Incoming messages come from <see cref="Incoming"/>.
/// </summary>
internal sealed class StuckWebSocket : WebSocket
{
    private readonly CancellationTokenSource _aborted = new();
    private WebSocketState _state = WebSocketState.Open;

    public Channel<byte[]> Incoming { get; } = Channel.CreateUnbounded<byte[]>();

    public int SendsStarted;

    public bool Aborted { get; private set; }

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public override void Abort()
    {
        Aborted = true;
        _state = WebSocketState.Aborted;
        Incoming.Writer.TryComplete();
        _aborted.Cancel();
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        // The close frame is stuck behind the unread data like everything else.
        await WaitUntilAbortedAsync(cancellationToken);
    }

    public override void Dispose() => Abort();

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Count == 0)
        {
            // A zero-byte read waits for the next message without taking it.
            return await Incoming.Reader.WaitToReadAsync(cancellationToken)
                ? new WebSocketReceiveResult(0, WebSocketMessageType.Text, false)
                : new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, WebSocketCloseStatus.NormalClosure, null);
        }

        if (!await Incoming.Reader.WaitToReadAsync(cancellationToken) || !Incoming.Reader.TryRead(out var message))
        {
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, WebSocketCloseStatus.NormalClosure, null);
        }

        message.CopyTo(buffer.Array!, buffer.Offset);
        return new WebSocketReceiveResult(message.Length, WebSocketMessageType.Text, true);
    }

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref SendsStarted);
        await WaitUntilAbortedAsync(cancellationToken);
    }

    private async Task WaitUntilAbortedAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted.Token);
        await Task.Delay(Timeout.Infinite, either.Token);
    }
}
