using System.Security.Cryptography;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class AssociationTests
{
    private const uint Binary = 53;

    [Fact]
    public void Handshake_OneSideInitiates_BothComeUp()
    {
        var link = new SimulatedSctpLink(seed: 1);
        link.A.Connect(link.Now);

        Assert.True(link.RunUntil(() => link.UserA.UpCount == 1 && link.UserB.UpCount == 1, 10_000));
        Assert.Equal(SctpAssociationState.Established, link.A.State);
        Assert.Equal(SctpAssociationState.Established, link.B.State);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(20)]
    public void InitCollision_BothInitiateAtOnce_OverALossyReorderingLink(int seed)
    {
        var link = new SimulatedSctpLink(seed, loss: 0.2, duplicate: 0.1, jitterMs: 30);
        link.A.Connect(link.Now);
        link.B.Connect(link.Now);

        Assert.True(link.RunUntil(() => link.UserA.UpCount == 1 && link.UserB.UpCount == 1, 120_000), $"seed {seed}: A {link.A.State}, B {link.B.State}");

        // And the association works afterwards: each side gets the other's message.
        link.A.Send(1, Binary, "from a"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.B.Send(2, Binary, "from b"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserA.Messages.Count == 1 && link.UserB.Messages.Count == 1, 120_000), $"seed {seed}");
        Assert.Equal("from b"u8.ToArray(), link.UserA.Messages[0].Payload);
        Assert.Equal("from a"u8.ToArray(), link.UserB.Messages[0].Payload);
        Assert.Equal(1, link.UserA.UpCount);
        Assert.Equal(1, link.UserB.UpCount);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void OneMebibyteMessage_ArrivesIntact_DespiteLossReorderingAndDuplicates(int seed)
    {
        var link = Established(seed, loss: 0.05, duplicate: 0.02, jitterMs: 20);
        var message = new byte[1024 * 1024];
        new Random(seed).NextBytes(message);

        link.A.Send(3, Binary, message, true, SctpReliability.Reliable, link.Now);

        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 1, 600_000), $"seed {seed}: {link.UserB.Messages.Count} messages, buffered {link.A.BufferedAmount}");
        Assert.True(SHA256.HashData(message).SequenceEqual(SHA256.HashData(link.UserB.Messages[0].Payload)), $"seed {seed}: payload differs");
        Assert.True(link.A.ChunksRetransmitted > 0, $"seed {seed}: a 5% lossy link should have cost retransmissions");
        Assert.True(link.RunUntil(() => link.A.BufferedAmount == 0, 60_000), $"seed {seed}: sender still holds {link.A.BufferedAmount} bytes");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void ManySmallMessages_ArriveInOrder_PerStream(int seed)
    {
        var link = Established(seed, loss: 0.05, duplicate: 0.05, jitterMs: 25);
        var sent = new List<(ushort, int)>();
        for (var i = 0; i < 2000; i++)
        {
            var stream = (ushort)(i % 3);
            link.A.Send(stream, Binary, BitConverter.GetBytes(i), true, SctpReliability.Reliable, link.Now);
            sent.Add((stream, i));
            if (i % 100 == 99)
            {
                link.RunUntil(() => false, 50);
            }
        }

        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == sent.Count, 600_000), $"seed {seed}: {link.UserB.Messages.Count}/{sent.Count}");
        for (ushort stream = 0; stream < 3; stream++)
        {
            var expected = sent.Where(s => s.Item1 == stream).Select(s => s.Item2).ToList();
            var got = link.UserB.Messages.Where(m => m.StreamId == stream).Select(m => BitConverter.ToInt32(m.Payload)).ToList();
            Assert.True(expected.SequenceEqual(got), $"seed {seed}: stream {stream} out of order");
        }
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void UnorderedMessages_AllArrive_LargeOnesReassembled(int seed)
    {
        var link = Established(seed, loss: 0.05, jitterMs: 40);
        var expected = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            // Every tenth message spans several chunks, so unordered reassembly is exercised too.
            var payload = new byte[i % 10 == 0 ? 5000 : 20];
            BitConverter.GetBytes(i).CopyTo(payload, 0);
            expected.Add(Convert.ToHexString(payload));
            link.A.Send(7, Binary, payload, false, SctpReliability.Reliable, link.Now);
        }

        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 200, 600_000), $"seed {seed}: {link.UserB.Messages.Count}/200");
        Assert.True(expected.SetEquals(link.UserB.Messages.Select(m => Convert.ToHexString(m.Payload))), $"seed {seed}: unordered set differs");
    }

    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    public void PartiallyReliableMessages_AreAbandoned_AndForwardTsnKeepsTheStreamMoving(int seed)
    {
        var link = Established(seed, loss: 0.3, jitterMs: 10);
        for (var i = 0; i < 300; i++)
        {
            link.A.Send(5, Binary, BitConverter.GetBytes(i), true, SctpReliability.MaxRetransmits(0), link.Now);
        }

        link.RunUntil(() => link.A.BufferedAmount == 0, 600_000);
        link.Loss = 0;

        // A reliable message after the lossy burst, on the same ordered stream, must not wait for the lost ones.
        link.A.Send(5, Binary, "last"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Any(m => m.Payload.SequenceEqual("last"u8.ToArray())), 600_000), $"seed {seed}: stream stuck behind abandoned messages");
        var numbers = link.UserB.Messages.Where(m => m.Payload.Length == 4).Select(m => BitConverter.ToInt32(m.Payload)).ToList();
        Assert.True(numbers.Count < 300, $"seed {seed}: 30% loss with no retransmission should lose some");
        Assert.True(numbers.SequenceEqual(numbers.Order()), $"seed {seed}: ordered stream delivered out of order");
        Assert.True(link.RunUntil(() => link.A.BufferedAmount == 0, 60_000), $"seed {seed}: sender still holds {link.A.BufferedAmount} bytes");
    }

    [Fact]
    public void LifetimeLimitedMessages_ExpireWhileThePeerIsSilent()
    {
        var link = Established(61);
        link.Loss = 1;
        link.A.Send(2, Binary, new byte[3000], true, SctpReliability.MaxLifetime(100), link.Now);
        link.RunUntil(() => link.A.BufferedAmount == 0, 10_000);
        Assert.Equal(0, link.A.BufferedAmount);

        link.Loss = 0;
        link.A.Send(2, Binary, "after"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 1, 60_000));
        Assert.Equal("after"u8.ToArray(), link.UserB.Messages[0].Payload);
    }

    [Theory]
    [InlineData(71, 0.0)]
    [InlineData(72, 0.2)]
    public void StreamReset_ClosesBothHalves_AndTheStreamCanBeReused(int seed, double loss)
    {
        var link = Established(seed, loss: loss, jitterMs: 10);
        link.A.Send(9, Binary, "one"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.A.Send(9, Binary, "two"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.A.ResetStream(9, link.Now);
        Assert.Throws<SctpSendRefusedException>(() => link.A.Send(9, Binary, "x"u8.ToArray(), true, SctpReliability.Reliable, link.Now));

        // Both sides see both directions of stream 9 reset: the peer answered and reset its own side too.
        Assert.True(
            link.RunUntil(() => link.UserA.Resets.Count == 2 && link.UserB.Resets.Count == 2, 120_000),
            $"seed {seed}: A {string.Join(",", link.UserA.Resets)} B {string.Join(",", link.UserB.Resets)}");
        Assert.Contains(((ushort)9, false), link.UserA.Resets);
        Assert.Contains(((ushort)9, true), link.UserA.Resets);
        Assert.Contains(((ushort)9, true), link.UserB.Resets);
        Assert.Contains(((ushort)9, false), link.UserB.Resets);
        Assert.Equal(["one", "two"], link.UserB.Messages.Select(m => System.Text.Encoding.UTF8.GetString(m.Payload)));
        var resetIndex = link.UserB.Resets.IndexOf(((ushort)9, true));
        Assert.True(resetIndex >= 0);

        // Reused after the reset: SSNs start again at 0 on both sides, so the message is delivered, not held.
        link.A.Send(9, Binary, "again"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        link.B.Send(9, Binary, "back"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 3 && link.UserA.Messages.Count == 1, 120_000), $"seed {seed}");
        Assert.Equal("again"u8.ToArray(), link.UserB.Messages[2].Payload);
        Assert.Equal("back"u8.ToArray(), link.UserA.Messages[0].Payload);
    }

    [Theory]
    [InlineData(81, 0.0)]
    [InlineData(82, 0.2)]
    public void Shutdown_DrainsQueuedData_ThenBothSidesClose(int seed, double loss)
    {
        var link = Established(seed, loss: loss, jitterMs: 10);
        var message = new byte[200_000];
        new Random(seed).NextBytes(message);
        link.A.Send(1, Binary, message, true, SctpReliability.Reliable, link.Now);
        link.A.Shutdown(link.Now);
        Assert.Throws<SctpSendRefusedException>(() => link.A.Send(1, Binary, "late"u8.ToArray(), true, SctpReliability.Reliable, link.Now));

        Assert.True(link.RunUntil(() => link.UserA.Down is not null && link.UserB.Down is not null, 600_000), $"seed {seed}: A {link.A.State}, B {link.B.State}");
        Assert.Equal(message, Assert.Single(link.UserB.Messages).Payload);
        Assert.Equal(TransportClosedReason.ClosedLocally, link.UserA.Down!.Value.Reason);
        Assert.Equal(TransportClosedReason.ClosedByPeer, link.UserB.Down!.Value.Reason);
        Assert.Equal(SctpAssociationState.Closed, link.A.State);
        Assert.Equal(SctpAssociationState.Closed, link.B.State);
        Assert.Equal(1, link.UserA.DownCount);
        Assert.Equal(1, link.UserB.DownCount);
    }

    [Fact]
    public void Abort_ClosesThePeerAtOnce()
    {
        var link = Established(91);
        link.A.Abort("user went away");

        Assert.True(link.RunUntil(() => link.UserB.Down is not null, 10_000));
        Assert.Equal(TransportClosedReason.ClosedLocally, link.UserA.Down!.Value.Reason);
        Assert.Equal(TransportClosedReason.ClosedByPeer, link.UserB.Down!.Value.Reason);
        Assert.Contains("UserInitiatedAbort", link.UserB.Down.Value.Detail);
        Assert.Throws<SctpSendRefusedException>(() => link.B.Send(0, Binary, "x"u8.ToArray(), true, SctpReliability.Reliable, link.Now));
    }

    [Fact]
    public void SilentPeer_FailsTheAssociationAfterMaxRetransmissions()
    {
        var link = Established(101);
        link.BSilenced = true;
        link.A.Send(0, Binary, new byte[100], true, SctpReliability.Reliable, link.Now);

        Assert.True(link.RunUntil(() => link.UserA.Down is not null, 3_600_000));
        Assert.Equal(TransportClosedReason.TimedOut, link.UserA.Down!.Value.Reason);
        Assert.Equal(11, link.A.RetransmissionTimeouts);
    }

    [Fact]
    public void UnansweredInit_GivesUpAfterMaxInitRetransmits()
    {
        var link = new SimulatedSctpLink(seed: 102) { Loss = 1 };
        link.A.Connect(link.Now);

        Assert.True(link.RunUntil(() => link.UserA.Down is not null, 3_600_000));
        Assert.Equal(TransportClosedReason.TimedOut, link.UserA.Down!.Value.Reason);
    }

    [Fact]
    public void Send_RefusesWhatThePeerCannotTake()
    {
        var link = Established(111, optionsA: new SctpOptions { RemoteMaxMessageSize = 1000, SendBufferLimit = 5000 });

        Assert.Throws<SctpSendRefusedException>(() => link.A.Send(0, Binary, new byte[1001], true, SctpReliability.Reliable, link.Now));
        Assert.Throws<SctpSendRefusedException>(() => link.A.Send(0, Binary, ReadOnlyMemory<byte>.Empty, true, SctpReliability.Reliable, link.Now));
        link.A.Send(0, Binary, new byte[1000], true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 1, 10_000));

        var smallStreams = Established(112, optionsB: new SctpOptions { Streams = 4, RemoteMaxMessageSize = 0 });
        Assert.Throws<SctpSendRefusedException>(() => smallStreams.A.Send(4, Binary, new byte[1], true, SctpReliability.Reliable, smallStreams.Now));
    }

    [Fact]
    public void SendBuffer_IsBounded()
    {
        var link = Established(113, optionsA: new SctpOptions { RemoteMaxMessageSize = 0, SendBufferLimit = 5000 });
        link.Loss = 1;
        link.A.Send(0, Binary, new byte[4000], true, SctpReliability.Reliable, link.Now);
        Assert.Equal(4000, link.A.BufferedAmount);
        Assert.Throws<SctpSendRefusedException>(() => link.A.Send(0, Binary, new byte[1001], true, SctpReliability.Reliable, link.Now));
    }

    [Fact]
    public void HostilePackets_AreCountedAndDropped_AndTheAssociationKeepsWorking()
    {
        var seed = Environment.TickCount;
        var link = Established(seed);
        var random = new Random(seed);
        var captured = new List<byte[]>();
        link.TamperAToB = packet =>
        {
            captured.Add(packet);
            return packet;
        };
        link.A.Send(1, Binary, new byte[5000], true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 1, 60_000));

        var droppedBefore = link.B.PacketsDropped;
        for (var i = 0; i < 5000; i++)
        {
            var packet = (byte[])captured[random.Next(captured.Count)].Clone();
            packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
            if (random.Next(2) == 0)
            {
                packet = packet[..random.Next(packet.Length)];
            }

            try
            {
                link.B.HandleInput(packet, link.Now);
            }
            catch (Exception error)
            {
                Assert.Fail($"seed {seed}: {Convert.ToHexString(packet)} threw {error}");
            }
        }

        var junk = new byte[64];
        random.NextBytes(junk);
        link.B.HandleInput(junk, link.Now);
        Assert.True(link.B.PacketsDropped > droppedBefore + 4000, $"seed {seed}: only {link.B.PacketsDropped - droppedBefore} dropped");
        Assert.Equal(SctpAssociationState.Established, link.B.State);

        link.TamperAToB = null;
        link.A.Send(1, Binary, "still fine"u8.ToArray(), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.UserB.Messages.Count == 2, 60_000), $"seed {seed}");
        Assert.Equal(1, link.UserB.UpCount);
        Assert.Equal(1, link.UserB.Messages.Count(m => m.Payload.Length == 5000));
    }

    [Fact]
    public void Heartbeats_KeepAnIdleAssociationAlive_AndMeasureTheRtt()
    {
        var link = Established(121);
        Assert.False(link.RunUntil(() => link.UserA.Down is not null || link.UserB.Down is not null, 300_000));
        Assert.Equal(SctpAssociationState.Established, link.A.State);
        // Heartbeats measured the 20 ms round trip: SRTT 20 + 4 x the 27 ms RTTVAR floor is below RTO.Min.
        Assert.Equal(400, link.A.RtoMs);
    }

    [Fact]
    public void DelayedSack_AcknowledgesASingleMessageWithinTheDelayedAckTime()
    {
        var link = Established(131);
        link.A.Send(0, Binary, new byte[10], true, SctpReliability.Reliable, link.Now);
        var sentAt = link.Now;
        Assert.True(link.RunUntil(() => link.A.BufferedAmount == 0, 10_000));
        Assert.InRange(link.Now - sentAt, 200, 230); // 10 ms there, 200 ms delayed ack, 10 ms back
    }

    private static SimulatedSctpLink Established(int seed, double loss = 0, double duplicate = 0, int jitterMs = 0, SctpOptions? optionsA = null, SctpOptions? optionsB = null)
    {
        var link = new SimulatedSctpLink(seed, 0, 0, 10, jitterMs, optionsA, optionsB);
        link.A.Connect(link.Now);
        Assert.True(link.RunUntil(() => link.A.State == SctpAssociationState.Established && link.B.State == SctpAssociationState.Established, 60_000), $"seed {seed}: setup");
        link.Loss = loss;
        link.Duplicate = duplicate;
        return link;
    }
}
