using System.Net.WebSockets;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Interop.Tests.Node;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// A minimal y-websocket client over a node's <c>/yjs/{docId}</c> endpoint that inserts text at
/// an index of the root text <c>text</c>: the API only appends, and a concurrent insert BEFORE a
/// cursor is what shows that handoff keeps cursors as relative positions. It syncs when opened,
/// so an insert later is one small message, quick enough to land while a transfer runs.
/// </summary>
internal sealed class YTextEditor : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly ClientWebSocket _socket;
    private readonly Doc _doc = new();

    private YTextEditor(ClientWebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Connects and waits for the node's SyncStep2, so the whole document is here.</summary>
    public static async Task<YTextEditor> OpenAsync(NodeProcess node, string docId)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var socket = new ClientWebSocket();
        var editor = new YTextEditor(socket);
        try
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{node.ApiUrl.Port}/yjs/{docId}"), deadline.Token);
            await editor.SendAsync(YWebsocketMessage.ForSync(SyncMessage.Step1(Y.EncodeStateVector(editor._doc))), deadline.Token);
            while (true)
            {
                var message = YWebsocketMessage.Decode(await editor.ReceiveAsync(deadline.Token));
                if (message.Sync is { Type: SyncMessageType.SyncStep2 } step2)
                {
                    Y.ApplyUpdate(editor._doc, step2.Payload);
                    return editor;
                }
            }
        }
        catch
        {
            await editor.DisposeAsync();
            throw;
        }
    }

    public int Length => _doc.GetText("text").Length;

    /// <summary>Inserts locally and sends the resulting update to the node.</summary>
    public async Task InsertAsync(int index, string text)
    {
        using var deadline = new CancellationTokenSource(Bound);
        byte[]? update = null;
        void Capture(object? sender, UpdateEventArgs e) => update = e.Update;
        _doc.Update += Capture;
        try
        {
            _doc.GetText("text").Insert(index, text);
        }
        finally
        {
            _doc.Update -= Capture;
        }

        await SendAsync(YWebsocketMessage.ForSync(SyncMessage.Update(update ?? throw new InvalidOperationException("the insert produced no update"))), deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(Bound);
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
        }

        _socket.Dispose();
    }

    private Task SendAsync(YWebsocketMessage message, CancellationToken cancellationToken) =>
        _socket.SendAsync(message.Encode(), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the node closed the websocket: {result.CloseStatusDescription}");
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return buffer.ToArray();
            }
        }
    }
}
