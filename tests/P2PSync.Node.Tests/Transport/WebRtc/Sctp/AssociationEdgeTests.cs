using System.Buffers.Binary;
using System.Diagnostics;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sctp;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class AssociationEdgeTests(ITestOutputHelper output)
{
    private const uint Binary = 53;

    [Fact]
    public void StreamResetRequest_ArrivingBeforeItsData_IsAnsweredInProgress_ThenPerformed()
    {
        var link = Established(201);
        var droppedOnce = false;
        var sawInProgress = false;
        link.TamperAToB = packet =>
        {
            var parsed = SctpPacket.Read(packet);
            if (!droppedOnce && parsed.Chunks.Any(c => c is DataChunk))
            {
                droppedOnce = true;
                return null; // the data is lost; the reset request right after it gets through first
            }

            return packet;
        };
        link.ObserveBToA = packet => sawInProgress |= SctpPacket.Read(packet).Chunks.OfType<ReConfigChunk>()
            .Any(r => r.Parameters.OfType<ReConfigResponse>().Any(p => p.Result == ReConfigResult.InProgress));
        link.A.Send(4, Binary, "before close"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.A.ResetStream(4, link.Now);

        Assert.True(link.RunUntil(() => link.UserA.Resets.Count == 2 && link.UserB.Resets.Count == 2, 60_000));
        Assert.True(droppedOnce);
        Assert.True(sawInProgress, "B should answer 'in progress' while the data before the reset is missing");
        Assert.Equal("before close"u8.ToArray(), Assert.Single(link.UserB.Messages).Payload);
        Assert.Contains(((ushort)4, true), link.UserB.Resets);
        Assert.Contains(((ushort)4, false), link.UserA.Resets);
    }

    [Fact]
    public void UnknownChunkWithReportBit_IsAnsweredWithAnError_AndTheRestOfThePacketIsSkippedOrKept()
    {
        var link = Established(202);
        var tag = ReadTag(link, toB: true);

        // 0x7F: top bits 01 = stop processing and report. The DATA after it must not be delivered.
        var stop = new SctpPacket(5000, 5000, tag, [new UnknownChunk(0x7F, 0, [1, 2, 3]), Data(tsn: 0)]).ToBytes();
        var errorsBefore = link.A.ErrorsReceived;
        link.B.HandleInput(stop, link.Now);
        link.RunUntil(() => link.A.ErrorsReceived > errorsBefore, 10_000);
        Assert.Equal(errorsBefore + 1, link.A.ErrorsReceived);
        Assert.Empty(link.UserB.Messages);

        // 0xBF: top bits 10 = skip silently and go on with the packet.
        link.A.Send(0, Binary, "next"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 1, 10_000));
        Assert.Equal(SctpAssociationState.Established, link.B.State);
    }

    [Fact]
    public void ForgedOrForeignCookies_AreDropped()
    {
        var user = new RecordingSctpUser();
        var passive = new Association(new SctpOptions(), user, new Random(203));
        var other = new Association(new SctpOptions(), new RecordingSctpUser(), new Random(204));

        // A cookie sealed by another association (another key) names a tag this one never had.
        var forged = new StateCookie(1234, 5678, 1, 2, 100_000, 10, 10, true, true, 0).Seal(new byte[32]);
        passive.HandleInput(new SctpPacket(5000, 5000, 1234, [new CookieEchoChunk(forged)]).ToBytes(), 0);
        var garbage = new byte[StateCookie.Length];
        passive.HandleInput(new SctpPacket(5000, 5000, 1234, [new CookieEchoChunk(garbage)]).ToBytes(), 0);

        Assert.Equal(SctpAssociationState.Closed, passive.State);
        Assert.Equal(0, user.UpCount);
        Assert.Equal(2, passive.PacketsDropped);
        Assert.Equal(SctpAssociationState.Closed, other.State);
    }

    [Fact]
    public void StaleCookie_GetsAStaleCookieError_AndNoAssociation()
    {
        var userB = new RecordingSctpUser();
        var b = new Association(new SctpOptions { CookieLifetimeMs = 1000 }, userB, new Random(205));
        var a = new Association(new SctpOptions(), new RecordingSctpUser(), new Random(206));
        a.Connect(0);
        Assert.True(a.TryDequeueOutput(out var init));
        b.HandleInput(init.Span, 0);
        Assert.True(b.TryDequeueOutput(out var initAck));
        a.HandleInput(initAck.Span, 10);
        Assert.True(a.TryDequeueOutput(out var cookieEcho));

        b.HandleInput(cookieEcho.Span, 5_000); // 5 s later: the 1 s cookie is stale

        Assert.Equal(0, userB.UpCount);
        Assert.True(b.TryDequeueOutput(out var reply));
        var error = Assert.IsType<ErrorCausesChunk>(Assert.Single(SctpPacket.Read(reply.Span).Chunks));
        Assert.False(error.IsAbort);
        Assert.Equal(ErrorCauseCode.StaleCookie, Assert.Single(error.Causes).Code);
    }

    [Fact]
    public void PacketsWithTheWrongTagOrPorts_AreDropped()
    {
        var link = Established(207);
        var tag = ReadTag(link, toB: true);
        var dropped = link.B.PacketsDropped;

        link.B.HandleInput(new SctpPacket(5000, 5000, tag ^ 1, [Data(tsn: 0)]).ToBytes(), link.Now);
        link.B.HandleInput(new SctpPacket(5001, 5000, tag, [Data(tsn: 0)]).ToBytes(), link.Now);
        link.B.HandleInput(new SctpPacket(5000, 5000, tag, [new InitChunk(false, 9, 1000, 1, 1, 1, new InitParameters())]).ToBytes(), link.Now); // INIT needs tag 0
        link.B.HandleInput(new SctpPacket(5000, 5000, 0, [new InitChunk(false, 9, 1000, 1, 1, 1, new InitParameters()), new SimpleChunk(SctpChunkType.CookieAck)]).ToBytes(), link.Now); // INIT must be alone

        Assert.Equal(dropped + 4, link.B.PacketsDropped);
        Assert.Empty(link.UserB.Messages);
        Assert.Equal(SctpAssociationState.Established, link.B.State);
    }

    [Fact]
    public void Abort_WithTheReflectedTag_IsAccepted()
    {
        var link = Established(208);
        var tagOfA = ReadTag(link, toB: false); // the tag B writes on its packets to A: A's own tag, B's peer tag

        // T bit: the packet carries B's *peer* tag instead of B's own. Without the T bit that tag is refused.
        var dropped = link.B.PacketsDropped;
        link.B.HandleInput(new SctpPacket(5000, 5000, tagOfA, [new ErrorCausesChunk(true, [])]).ToBytes(), link.Now);
        Assert.Equal(dropped + 1, link.B.PacketsDropped);
        Assert.Null(link.UserB.Down);

        link.B.HandleInput(new SctpPacket(5000, 5000, tagOfA, [new ErrorCausesChunk(true, [], tagReflected: true)]).ToBytes(), link.Now);
        Assert.NotNull(link.UserB.Down);
        Assert.Equal(TransportClosedReason.ClosedByPeer, link.UserB.Down!.Value.Reason);
    }

    [Fact]
    public void HostileSack_WithHugeGapBlocks_IsCheap()
    {
        var link = Established(212);
        link.Loss = 1; // keep A's data outstanding
        link.A.Send(0, Binary, new byte[100], true, SctpReliability.Reliable, link.Now);
        var tag = ReadTag(link, toB: false);
        var blocks = Enumerable.Range(0, 250).Select(_ => new GapAckBlock(1, ushort.MaxValue)).ToArray();
        var sack = new SctpPacket(5000, 5000, tag, [new SackChunk(link.A.PeerCumulativeAck, 1_000_000, blocks, [])]).ToBytes();

        var stopwatch = Stopwatch.StartNew();
        link.A.HandleInput(sack, link.Now);
        stopwatch.Stop();

        Assert.True(stopwatch.ElapsedMilliseconds < 500, $"took {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(SctpAssociationState.Established, link.A.State);
        Assert.Equal(0, link.A.BufferedAmount); // offset 1 is the one chunk really out: gap-acked; the rest is ignored
    }

    [Fact]
    public void TransportClosed_EndsTheAssociationOnce_AndRefusesSends()
    {
        var link = Established(211);
        link.A.HandleTransportClosed(TransportClosedReason.ClosedByPeer);
        link.A.HandleTransportClosed(TransportClosedReason.ClosedByPeer);

        Assert.Equal(1, link.UserA.DownCount);
        Assert.Equal(TransportClosedReason.ClosedByPeer, link.UserA.Down!.Value.Reason);
        Assert.Null(link.A.NextTimeoutMs);
        Assert.Throws<SctpSendRefusedException>(() => link.A.Send(0, Binary, "x"u8.ToArray(), true, SctpReliability.Reliable, link.Now));
    }

    [Fact]
    public void Receiver_GivesUpOnAMessageThatOutgrowsItsBuffer_AndHoldsNothingOfIt()
    {
        // Without a max-message-size of our own the buffer is the limit: a message larger than it
        // could never be completed, so waiting for it would only stall the association.
        var receiver = new DataReceiver(peerInitialTsn: 1, bufferBytes: 10_000);
        var delivered = new List<ReceivedMessage>();
        var results = new List<DataReceiveResult>();
        for (uint tsn = 1; tsn <= 20; tsn++)
        {
            // In-order fragments of one message whose end never comes.
            var flags = tsn == 1 ? DataChunk.BeginFlag : (byte)0;
            results.Add(receiver.Receive(new DataChunk(tsn, 0, 0, Binary, new byte[1000], flags), delivered));
        }

        Assert.Equal(DataReceiveResult.Oversized, results[10]); // the 11th kilobyte crosses 10,000
        Assert.Equal(19, results.Count(r => r == DataReceiveResult.Accepted));
        Assert.Equal(1, receiver.OversizedMessages);
        Assert.Equal(0, receiver.BytesHeld);
        Assert.Equal(20u, receiver.CumulativeTsn); // every TSN still counts as received
        Assert.Equal(10_000u, receiver.Window);
        Assert.Empty(delivered);
    }

    [Fact]
    public void Throughput_TwoAssociationsPumpedDirectly()
    {
        // No simulated link: packets go straight across, so the time measured is the SCTP code's own.
        var userA = new RecordingSctpUser();
        var userB = new RecordingSctpUser();
        var a = new Association(new SctpOptions { RemoteMaxMessageSize = 0 }, userA, new Random(209));
        var b = new Association(new SctpOptions { RemoteMaxMessageSize = 0 }, userB, new Random(210));
        long now = 1_000;
        a.Connect(now);
        Pump(a, b, now);
        var message = new byte[256 * 1024];
        new Random(209).NextBytes(message);
        const int Count = 64;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            a.Send(1, Binary, message, true, SctpReliability.Reliable, now);
            Pump(a, b, now);
            now++;
        }

        for (var round = 0; round < 100 && (userB.Messages.Count < Count || a.BufferedAmount > 0); round++)
        {
            now += 250; // lets delayed SACKs fire
            a.HandleTimeout(now);
            b.HandleTimeout(now);
            Pump(a, b, now);
        }

        stopwatch.Stop();
        Assert.Equal(Count, userB.Messages.Count);
        Assert.All(userB.Messages, m => Assert.True(m.Payload.AsSpan().SequenceEqual(message)));
        Assert.Equal(0, a.BufferedAmount);
        Assert.Equal(0, a.ChunksRetransmitted);
        var mebibytes = Count * message.Length / 1_048_576.0;
        output.WriteLine($"{mebibytes:F0} MiB A->B in {stopwatch.ElapsedMilliseconds} ms wall time: {mebibytes / stopwatch.Elapsed.TotalSeconds:F0} MiB/s (both ends on one thread, cwnd {a.CongestionWindow})");
    }

    private static void Pump(Association a, Association b, long now)
    {
        var moved = true;
        while (moved)
        {
            moved = false;
            while (a.TryDequeueOutput(out var packet))
            {
                moved = true;
                b.HandleInput(packet.Span, now);
            }

            while (b.TryDequeueOutput(out var packet))
            {
                moved = true;
                a.HandleInput(packet.Span, now);
            }
        }
    }

    private static DataChunk Data(uint tsn) => new(tsn, 0, 0, Binary, new byte[] { 1 }, DataChunk.BeginFlag | DataChunk.EndFlag);

    /// <summary>The verification tag the receiving side (B when <paramref name="toB"/>) expects, read off a real packet.</summary>
    private static uint ReadTag(SimulatedSctpLink link, bool toB)
    {
        var sender = toB ? link.A : link.B;
        sender.Send(100, Binary, "probe"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(sender.TryDequeueOutput(out var packet));
        var tag = BinaryPrimitives.ReadUInt32BigEndian(packet.Span[4..]);
        (toB ? link.B : link.A).HandleInput(packet.Span, link.Now);
        link.RunUntil(() => false, 1_000);
        (toB ? link.UserB : link.UserA).Messages.Clear();
        return tag;
    }

    private static SimulatedSctpLink Established(int seed)
    {
        var link = new SimulatedSctpLink(seed);
        link.A.Connect(link.Now);
        Assert.True(link.RunUntil(() => link.A.State == SctpAssociationState.Established && link.B.State == SctpAssociationState.Established, 60_000), $"seed {seed}: setup");
        return link;
    }
}
