using System.Buffers;
using System.Net.WebSockets;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Reads one whole WebSocket message into a buffer rented from ArrayPool, growing from 4 KiB and
/// stopping as soon as the message passes the cap, so an idle connection holds no big buffer and
/// an oversize message never costs more than the cap. The caller returns the buffer.
/// </summary>
internal static class WebSocketMessageReader
{
    private const int InitialBuffer = 4096;

    public static async Task<(MessageReadOutcome Outcome, PooledMessage Message)> ReadAsync(WebSocket socket, int maxBytes, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        var length = 0;
        var handedOver = false;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel);
                if (result.MessageType == WebSocketMessageType.Close) return (MessageReadOutcome.ClientClosed, default);
                length += result.Count;
                if (length > maxBytes) return (MessageReadOutcome.TooLarge, default);
                if (!result.EndOfMessage) continue;
                if (result.MessageType == WebSocketMessageType.Text) return (MessageReadOutcome.Text, default);
                handedOver = true;
                return (MessageReadOutcome.Message, new PooledMessage(buffer, length));
            }
        }
        finally
        {
            if (!handedOver) ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
