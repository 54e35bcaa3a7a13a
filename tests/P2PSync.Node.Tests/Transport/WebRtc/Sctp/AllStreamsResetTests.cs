using System.Buffers.Binary;
using P2PSync.Node.Transport.WebRtc.Sctp;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class AllStreamsResetTests
{
    private const uint Binary = 53;

    [Fact]
    public void A_reset_request_without_stream_ids_resets_every_stream_in_use()
    {
        var link = SimulatedSctpLink.Connected(71);
        var aInitialTsn = link.A.PeerCumulativeAck + 1; // A's first reset request takes its initial TSN as sequence number
        link.A.Send(1, Binary, "one"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.A.Send(2, Binary, "two"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.B.Send(6, Binary, "six"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 2 && link.UserA.Messages.Count == 1 && link.A.BufferedAmount == 0 && link.B.BufferedAmount == 0));
        var fromB = new List<byte[]>();
        link.ObserveBToA = fromB.Add;

        var tagOfB = TagAcceptedBy(link);
        var request = new OutgoingResetRequest(aInitialTsn, 0, link.A.PeerCumulativeAck, []);
        link.B.HandleInput(new SctpPacket(5000, 5000, tagOfB, [new ReConfigChunk([request])]).ToBytes(), link.Now);
        link.RunUntil(() => false, 5_000);

        // Streams 1 and 2 carried data to B, stream 6 from it: all three are reset, and B closes its own side of each.
        Assert.Equal([1, 2, 6], link.UserB.Resets.Where(r => r.Incoming).Select(r => (int)r.StreamId).Order());
        var reconfigs = fromB.SelectMany(p => SctpPacket.Read(p).Chunks.OfType<ReConfigChunk>()).SelectMany(c => c.Parameters).ToList();
        Assert.Contains(reconfigs, p => p is ReConfigResponse { Result: ReConfigResult.SuccessPerformed } r && r.ResponseSequence == aInitialTsn);
        var ownRequest = Assert.Single(reconfigs.OfType<OutgoingResetRequest>());
        Assert.Equal([1, 2, 6], ownRequest.StreamIds.Select(s => (int)s).Order());

        // Incoming SSNs start again at 0: once A's outgoing side is reset too, its next message is delivered.
        Assert.True(link.RunUntil(() => link.UserA.Resets.Contains((1, false)) || link.UserA.Resets.Contains((1, true)), 60_000));
        link.A.Send(1, Binary, "again"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 3, 60_000));
        Assert.Equal("again"u8.ToArray(), link.UserB.Messages[^1].Payload);
    }

    [Fact]
    public void With_no_stream_in_use_an_all_streams_request_is_answered_and_resets_nothing()
    {
        var link = SimulatedSctpLink.Connected(72);
        var aInitialTsn = link.A.PeerCumulativeAck + 1;
        var fromB = new List<byte[]>();
        link.ObserveBToA = fromB.Add;

        var request = new OutgoingResetRequest(aInitialTsn, 0, aInitialTsn - 1, []);
        link.B.HandleInput(new SctpPacket(5000, 5000, TagAcceptedBy(link), [new ReConfigChunk([request])]).ToBytes(), link.Now);
        link.RunUntil(() => false, 5_000);

        Assert.Empty(link.UserB.Resets);
        var response = fromB.SelectMany(p => SctpPacket.Read(p).Chunks.OfType<ReConfigChunk>()).SelectMany(c => c.Parameters).OfType<ReConfigResponse>().Single();
        Assert.Equal(ReConfigResult.SuccessPerformed, response.Result);
        Assert.Equal(SctpAssociationState.Established, link.B.State);
    }

    // B's verification tag, read off a packet A sends it. The probe is unordered, so it leaves no
    // ordered-stream state behind on either side (it does not make stream 9 "in use").
    private static uint TagAcceptedBy(SimulatedSctpLink link)
    {
        uint tag = 0;
        link.TamperAToB = packet =>
        {
            tag = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
            return packet;
        };
        link.A.Send(9, Binary, "tag probe"u8.ToArray(), false, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Any(m => m.StreamId == 9) && link.A.BufferedAmount == 0, 5_000));
        link.TamperAToB = null;
        link.UserB.Messages.RemoveAll(m => m.StreamId == 9);
        return tag;
    }
}
