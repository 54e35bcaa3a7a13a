using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsBackPressureTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reader_that_falls_behind_slows_the_pump_and_loses_nothing(bool aIsServer)
    {
        // A tiny plaintext queue and an inbound queue far smaller than the burst: application data
        // must wait for the reader (back-pressure), never be pushed out of a full queue.
        var options = new DtlsSessionOptions { PlaintextQueueCapacity = 4, InboundQueueCapacity = 16 };
        await using var pair = new DtlsTestPair(options: options);
        await pair.ConnectAsync(aIsServer);
        const int Count = 600;

        for (var i = 0; i < Count; i++)
        {
            await pair.B.SendAsync(BitConverter.GetBytes(i), CancellationToken.None);
        }

        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(await DtlsTestPair.ReceiveAsync(pair.A)));
        }

        Assert.Equal(0, pair.A.QueueOverflowDropped);
        Assert.Equal(Count, pair.A.RecordsBypassed);
        Assert.Null(pair.A.ClosedReason);
    }
}
