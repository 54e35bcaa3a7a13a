using P2PSync.Node.Transport.WebRtc.Sctp;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class MaxBurstTests
{
    private const uint Binary = 53;

    [Fact]
    public void A_send_puts_at_most_four_new_packets_on_the_wire_though_cwnd_allows_ten()
    {
        var link = SimulatedSctpLink.Connected(51);

        link.A.Send(1, Binary, new byte[256 * 1024], true, SctpReliability.Reliable, link.Now);

        Assert.Equal(4, DrainDataPackets(link.A).Count);
        Assert.True(link.A.CongestionWindow >= 10 * 1188, $"cwnd {link.A.CongestionWindow}");
        Assert.Equal(1, link.A.MaxBurstLimited);
    }

    [Fact]
    public void Without_the_limit_the_initial_window_goes_out_at_once()
    {
        var link = SimulatedSctpLink.Connected(52, optionsA: new SctpOptions { RemoteMaxMessageSize = 0, MaxBurst = 0 });

        link.A.Send(1, Binary, new byte[256 * 1024], true, SctpReliability.Reliable, link.Now);

        // cwnd is 10 MTUs and counts payload bytes, so the tenth packet leaves room for an eleventh.
        Assert.InRange(DrainDataPackets(link.A).Count, 10, 11);
    }

    [Fact]
    public void Each_sack_clocks_out_at_most_four_more_packets()
    {
        var link = SimulatedSctpLink.Connected(53);
        link.A.Send(1, Binary, new byte[256 * 1024], true, SctpReliability.Reliable, link.Now);
        var firstBurst = DrainDataPackets(link.A);

        for (var round = 0; round < 5; round++)
        {
            // Two DATA packets make B acknowledge at once (every second packet); that one SACK
            // acknowledges two packets and may release four new ones, never more.
            foreach (var packet in firstBurst.Take(2))
            {
                link.B.HandleInput(packet, link.Now);
            }

            var sacks = new List<byte[]>();
            while (link.B.TryDequeueOutput(out var sack))
            {
                sacks.Add(sack.ToArray());
            }

            Assert.Single(sacks);
            link.A.HandleInput(sacks[0], link.Now);
            var next = DrainDataPackets(link.A);
            Assert.InRange(next.Count, 1, 4);
            firstBurst = [.. firstBurst.Skip(2), .. next];
        }
    }

    [Fact]
    public void A_bulk_transfer_under_the_limit_still_completes_over_a_lossy_link()
    {
        const int seed = 54;
        var link = SimulatedSctpLink.Connected(seed, loss: 0.03, jitterMs: 10);
        var message = new byte[512 * 1024];
        new Random(seed).NextBytes(message);

        link.A.Send(1, Binary, message, true, SctpReliability.Reliable, link.Now);

        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 1, 600_000), $"seed {seed}");
        Assert.Equal(message, link.UserB.Messages[0].Payload);
        Assert.True(link.A.MaxBurstLimited > 0);
    }

    private static List<byte[]> DrainDataPackets(Association association)
    {
        var packets = new List<byte[]>();
        while (association.TryDequeueOutput(out var packet))
        {
            if (SctpPacket.Read(packet.Span).Chunks.Any(c => c is DataChunk))
            {
                packets.Add(packet.ToArray());
            }
        }

        return packets;
    }
}
