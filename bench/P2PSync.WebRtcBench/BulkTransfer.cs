using System.Globalization;
using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.WebRtcBench;

/// <summary>
/// Side A of the bulk workload: asks the server for a number of bytes ("bulk BYTES CHUNK", text)
/// and reads until they are all in, on A's clock from the request to the last byte, as the anchors'
/// peer-core.mjs does.
/// </summary>
internal sealed class BulkTransfer(DataChannel channel, TimeProvider time)
{
    public async Task<BulkResult> RunAsync(long bytes, int chunk, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        await channel.SendAsync(string.Create(CultureInfo.InvariantCulture, $"bulk {bytes} {chunk}"), cancellationToken);
        long received = 0;
        long messages = 0;
        var inOrder = true;
        while (received < bytes)
        {
            var message = await channel.ReceiveAsync(cancellationToken)
                ?? throw new InvalidOperationException($"the channel closed after {received} of {bytes} bytes");
            if (message.IsText || SequencedMessage.ReadSequence(message.Data.Span) != (uint)messages)
            {
                inOrder = false;
            }

            messages++;
            received += message.Data.Length;
        }

        return new BulkResult(received, messages, time.GetElapsedTime(start).TotalMilliseconds, inOrder);
    }
}
