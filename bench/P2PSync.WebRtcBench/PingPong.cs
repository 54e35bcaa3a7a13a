using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.WebRtcBench;

/// <summary>
/// Side A of the latency workload: one small binary message at a time, each echoed by the server;
/// the round-trip times of all but the first <c>warmup</c> ones, in milliseconds.
/// </summary>
internal sealed class PingPong(DataChannel channel, TimeProvider time)
{
    public async Task<double[]> RunAsync(int count, int size, int warmup, CancellationToken cancellationToken)
    {
        var rtts = new double[count];
        for (var i = 0; i < warmup + count; i++)
        {
            var start = time.GetTimestamp();
            await channel.SendAsync(SequencedMessage.Create(size, (uint)i), cancellationToken);
            var echo = await channel.ReceiveAsync(cancellationToken)
                ?? throw new InvalidOperationException($"the channel closed waiting for echo {i}");
            var rtt = time.GetElapsedTime(start).TotalMilliseconds;
            if (echo.IsText || echo.Data.Length != size || SequencedMessage.ReadSequence(echo.Data.Span) != (uint)i)
            {
                throw new InvalidOperationException($"echo {i} came back wrong ({echo.Data.Length} bytes)");
            }

            if (i >= warmup)
            {
                rtts[i - warmup] = rtt;
            }
        }

        return rtts;
    }
}
