using System.Globalization;
using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.WebRtcBench;

/// <summary>
/// Side B of both workloads, for as long as the channel is open: a text "bulk BYTES CHUNK" makes it
/// stream BYTES in CHUNK-byte sequenced messages (SendAsync waits while the buffered amount is above
/// the high-water mark: our backpressure); every binary message is echoed back.
/// </summary>
internal sealed class ChannelServer(DataChannel channel, EventWriter output)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await channel.ReceiveAsync(cancellationToken) is { } message)
            {
                if (!message.IsText)
                {
                    await channel.SendAsync(message.Data, cancellationToken);
                }
                else if (TryParseBulk(message.Text, out var bytes, out var chunk))
                {
                    await SendBulkAsync(bytes, chunk, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            output.Event("error", json => json.WriteString("message", $"server: {e}"));
        }
    }

    private async Task SendBulkAsync(long bytes, int chunk, CancellationToken cancellationToken)
    {
        long sent = 0;
        uint sequence = 0;
        while (sent < bytes)
        {
            var size = (int)Math.Min(chunk, bytes - sent);
            await channel.SendAsync(SequencedMessage.Create(size, sequence++), cancellationToken);
            sent += size;
        }
    }

    private static bool TryParseBulk(string text, out long bytes, out int chunk)
    {
        bytes = 0;
        chunk = 0;
        var parts = text.Split(' ');
        return parts.Length == 3
            && parts[0] == "bulk"
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out bytes)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out chunk)
            && chunk > 0;
    }
}
