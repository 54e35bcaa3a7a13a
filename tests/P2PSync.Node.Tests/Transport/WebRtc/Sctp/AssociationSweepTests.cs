using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

/// <summary>
/// Everything at once, both directions, per seed: setup (sometimes colliding), reliable ordered and
/// unordered messages of 4 bytes to 20 KB on four streams, partially reliable ones on stream 7,
/// then a stream reset and a shutdown, over a link with up to 30 % loss, 10 % duplicates and jitter.
/// The seeds include ones that once failed (a lost SHUTDOWN COMPLETE; FORWARD TSN skipping over a
/// gap-acked fragment of a reliable message).
/// </summary>
public sealed class AssociationSweepTests
{
    private const ushort PartiallyReliableStream = 7;

    [Theory]
    [InlineData(1001)]
    [InlineData(1015)]
    [InlineData(2004)]
    [InlineData(2006)]
    [InlineData(2007)]
    [InlineData(2052)]
    [InlineData(2083)]
    [InlineData(3000)]
    [InlineData(3001)]
    [InlineData(3002)]
    public void MixedTraffic_ReliableMessagesAllArriveInOrder_ThenResetAndShutdownComplete(int seed)
    {
        var random = new Random(seed);
        var link = new SimulatedSctpLink(seed, loss: random.NextDouble() * 0.3, duplicate: random.NextDouble() * 0.1, jitterMs: random.Next(0, 60));
        link.A.Connect(link.Now);
        if (random.Next(2) == 0)
        {
            link.B.Connect(link.Now + random.Next(0, 30));
        }

        Assert.True(link.RunUntil(() => link.UserA.UpCount == 1 && link.UserB.UpCount == 1, 300_000), $"seed {seed}: setup A {link.A.State} B {link.B.State}");

        var toA = new List<(ushort Stream, bool Ordered, byte[] Payload)>();
        var toB = new List<(ushort Stream, bool Ordered, byte[] Payload)>();
        for (var i = 0; i < 60; i++)
        {
            var payload = new byte[random.Next(3) == 0 ? random.Next(4, 20_000) : random.Next(4, 200)];
            random.NextBytes(payload);
            BitConverter.GetBytes(i).CopyTo(payload, 0);
            var aSends = random.Next(2) == 0;
            var sender = aSends ? link.A : link.B;
            if (random.Next(4) == 0)
            {
                var reliability = random.Next(2) == 0 ? SctpReliability.MaxRetransmits(random.Next(3)) : SctpReliability.MaxLifetime(random.Next(10, 500));
                sender.Send(PartiallyReliableStream, 53, payload, random.Next(2) == 0, reliability, link.Now);
                continue;
            }

            var stream = (ushort)(i % 4);
            var ordered = random.Next(3) != 0;
            sender.Send(stream, 53, payload, ordered, SctpReliability.Reliable, link.Now);
            (aSends ? toB : toA).Add((stream, ordered, payload));
            if (random.Next(5) == 0)
            {
                link.RunUntil(() => false, random.Next(1, 100));
            }
        }

        Assert.True(
            link.RunUntil(() => Reliable(link.UserA).Count == toA.Count && Reliable(link.UserB).Count == toB.Count, 600_000),
            $"seed {seed}: A got {Reliable(link.UserA).Count}/{toA.Count}, B got {Reliable(link.UserB).Count}/{toB.Count}");
        AssertDelivered(seed, toA, link.UserA);
        AssertDelivered(seed, toB, link.UserB);

        link.A.ResetStream(1, link.Now);
        if (random.Next(2) == 0)
        {
            link.B.ResetStream(1, link.Now);
        }

        Assert.True(link.RunUntil(() => link.UserA.Resets.Count == 2 && link.UserB.Resets.Count == 2, 600_000), $"seed {seed}: resets A {string.Join(",", link.UserA.Resets)} B {string.Join(",", link.UserB.Resets)}");

        (random.Next(2) == 0 ? link.A : link.B).Shutdown(link.Now);
        Assert.True(link.RunUntil(() => link.UserA.Down is not null && link.UserB.Down is not null, 600_000), $"seed {seed}: shutdown A {link.A.State} B {link.B.State}");
        Assert.NotEqual(TransportClosedReason.TimedOut, link.UserA.Down!.Value.Reason);
        Assert.NotEqual(TransportClosedReason.TimedOut, link.UserB.Down!.Value.Reason);
    }

    private static List<(ushort StreamId, uint Ppid, byte[] Payload)> Reliable(RecordingSctpUser user) =>
        user.Messages.Where(m => m.StreamId != PartiallyReliableStream).ToList();

    private static void AssertDelivered(int seed, List<(ushort Stream, bool Ordered, byte[] Payload)> sent, RecordingSctpUser user)
    {
        var received = Reliable(user);
        Assert.True(
            sent.Select(s => Convert.ToHexString(s.Payload)).Order().SequenceEqual(received.Select(r => Convert.ToHexString(r.Payload)).Order()),
            $"seed {seed}: delivered messages differ from those sent");
        for (ushort stream = 0; stream < 4; stream++)
        {
            var orderedSent = sent.Where(s => s.Stream == stream && s.Ordered).Select(s => Convert.ToHexString(s.Payload)).ToList();
            var orderedSet = orderedSent.ToHashSet();
            var orderedReceived = received.Where(r => r.StreamId == stream).Select(r => Convert.ToHexString(r.Payload)).Where(orderedSet.Contains).ToList();
            Assert.True(orderedSent.SequenceEqual(orderedReceived), $"seed {seed}: ordered messages on stream {stream} out of order");
        }
    }
}
