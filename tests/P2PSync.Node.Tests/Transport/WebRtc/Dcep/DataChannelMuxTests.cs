using System.Text;
using P2PSync.Node.Tests.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dcep;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

/// <summary>Two DCEP muxes over two SCTP associations on a seeded lossy in-memory link (RFC 8831, RFC 8832).</summary>
public sealed class DataChannelMuxTests
{
    private readonly ITestOutputHelper _output;

    public DataChannelMuxTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(801)]
    [InlineData(802)]
    public void A_channel_opened_by_either_side_carries_text_binary_and_empty_messages_both_ways(int seed)
    {
        var link = NewLink(seed, loss: 0.05, duplicate: 0.02, jitterMs: 15);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect(), "association did not come up");

        var fromA = link.A.Open(Describe("chat", "p1"), null, link.Now);
        var fromB = link.B.Open(Describe("back"), null, link.Now);
        Assert.Equal(0, fromA.StreamId); // DTLS client: even ids
        Assert.Equal(1, fromB.StreamId); // DTLS server: odd ids
        Assert.True(link.RunUntil(() => a.Opened.Count == 1 && b.Opened.Count == 1 && a.Acknowledged.Count == 1 && b.Acknowledged.Count == 1));
        Assert.Equal("chat", b.Opened[0].Description.Label);
        Assert.Equal("p1", b.Opened[0].Description.Protocol);
        Assert.Equal("back", a.Opened[0].Description.Label);

        link.A.SendText(0, "hello", link.Now);
        link.A.SendText(0, string.Empty, link.Now);
        link.A.SendBinary(0, new byte[] { 1, 2, 3 }, link.Now);
        link.A.SendBinary(0, ReadOnlyMemory<byte>.Empty, link.Now);
        link.B.SendText(1, "héllo", link.Now);
        link.B.SendBinary(0, new byte[] { 9 }, link.Now); // on A's channel, from the answering side
        Assert.True(link.RunUntil(() => b.Messages.Count == 4 && a.Messages.Count == 2));

        Assert.Equal((ushort)0, b.Messages[0].StreamId);
        Assert.Equal("hello", Encoding.UTF8.GetString(b.Messages[0].Data));
        Assert.True(b.Messages[1].IsText);
        Assert.Empty(b.Messages[1].Data);
        Assert.Equal([1, 2, 3], b.Messages[2].Data);
        Assert.False(b.Messages[3].IsText);
        Assert.Empty(b.Messages[3].Data);
        Assert.Contains(a.Messages, m => m.StreamId == 1 && m.IsText && Encoding.UTF8.GetString(m.Data) == "héllo");
        Assert.Contains(a.Messages, m => m.StreamId == 0 && !m.IsText && m.Data.SequenceEqual(new byte[] { 9 }));
        Assert.Equal(0, link.A.MessagesDropped + link.B.MessagesDropped);
    }

    [Theory]
    [InlineData(811)]
    [InlineData(812)]
    public void Data_sent_right_after_the_open_and_before_the_ack_arrives_in_order(int seed)
    {
        var link = NewLink(seed, loss: 0.05, jitterMs: 20);
        var b = new MuxRecorder(link.B);

        // Opened and used before the association is even up, on an unordered channel: until the ACK
        // everything travels ordered, so the OPEN cannot be overtaken (RFC 8832 §6).
        var channel = link.A.Open(Describe("early", ordered: false), null, link.Now);
        for (var i = 0; i < 20; i++)
        {
            link.A.SendText(channel.StreamId, $"m{i}", link.Now);
        }

        Assert.True(link.Connect());
        Assert.True(link.RunUntil(() => b.Messages.Count == 20));
        Assert.Single(b.Opened);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), b.Messages.Select(m => Encoding.UTF8.GetString(m.Data)));
    }

    [Theory]
    [InlineData(821)]
    [InlineData(822)]
    public void A_reliable_ordered_channel_delivers_every_message_in_order_over_a_lossy_reordering_link(int seed)
    {
        var link = NewLink(seed, loss: 0.05, duplicate: 0.05, jitterMs: 40, remoteMaxMessageSize: 0);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var channel = link.A.Open(Describe("bulk"), null, link.Now);
        var random = new Random(seed);
        var sent = new List<byte[]>();
        for (var i = 0; i < 60; i++)
        {
            var message = new byte[random.Next(1, 5000)];
            random.NextBytes(message);
            sent.Add(message);
            link.A.SendBinary(channel.StreamId, message, link.Now);
        }

        Assert.True(link.RunUntil(() => b.Messages.Count == sent.Count), $"delivered {b.Messages.Count} of {sent.Count}");
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i], b.Messages[i].Data);
        }
    }

    [Theory]
    [InlineData(831, true)]
    [InlineData(832, false)]
    public void Closing_from_either_side_resets_both_halves_and_frees_the_stream_id(int seed, bool opensideCloses)
    {
        var link = NewLink(seed, loss: 0.03, jitterMs: 10);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var channel = link.A.Open(Describe("closing"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 1 && a.Acknowledged.Count == 1));

        (opensideCloses ? link.A : link.B).Close(channel.StreamId, link.Now);
        Assert.True(link.RunUntil(() => a.Closed.Count == 1 && b.Closed.Count == 1), "the close did not complete on both sides");
        Assert.Single(opensideCloses ? b.Closing : a.Closing); // the side that did not close heard it begin
        Assert.Empty(link.A.Channels);
        Assert.Empty(link.B.Channels);
        Assert.Throws<InvalidOperationException>(() => link.A.SendText(channel.StreamId, "late", link.Now));

        // Both halves are reset, so the id may be used again, and the new channel works.
        var again = link.A.Open(Describe("again"), null, link.Now);
        Assert.Equal(channel.StreamId, again.StreamId);
        link.A.SendText(again.StreamId, "second life", link.Now);
        Assert.True(link.RunUntil(() => b.Messages.Count == 1));
        Assert.Equal("again", b.Opened[1].Description.Label);
    }

    [Theory]
    [InlineData(871)]
    [InlineData(872)]
    public void A_partially_reliable_channel_gives_up_lost_messages_while_a_reliable_one_beside_it_delivers_all(int seed)
    {
        var link = NewLink(seed, loss: 0.2, jitterMs: 10);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var lossy = link.A.Open(new DataChannelOpen(DataChannelType.PartialReliableRexmitUnordered, DataChannelPriority.Normal, 0, "lossy", ""), null, link.Now);
        var reliable = link.A.Open(Describe("reliable"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 2 && link.A.Channels.All(c => c.Acknowledged)), "the OPENs were not acknowledged");

        for (var i = 0; i < 100; i++)
        {
            link.A.SendBinary(lossy.StreamId, new byte[] { (byte)i }, link.Now);
            link.A.SendBinary(reliable.StreamId, new byte[] { (byte)i }, link.Now);
        }

        Assert.True(link.RunUntil(() => b.Messages.Count(m => m.StreamId == reliable.StreamId) == 100 && link.A.Association.BufferedAmount == 0));
        var onLossy = b.Messages.Count(m => m.StreamId == lossy.StreamId);
        _output.WriteLine($"{onLossy} of 100 arrived on the lossy channel");
        Assert.InRange(onLossy, 1, 99); // sent once each over a 20% lossy link: some, not all
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), b.Messages.Where(m => m.StreamId == reliable.StreamId).Select(m => m.Data[0]));
    }

    [Fact]
    public void Many_channels_open_and_carry_messages_at_once()
    {
        var link = NewLink(841, loss: 0.02, jitterMs: 10);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var channels = Enumerable.Range(0, 40).Select(i => link.A.Open(Describe($"c{i}"), null, link.Now)).ToList();
        foreach (var channel in channels)
        {
            link.A.SendText(channel.StreamId, $"on {channel.Description.Label}", link.Now);
        }

        Assert.True(link.RunUntil(() => b.Messages.Count == channels.Count));
        Assert.Equal(channels.Select(c => c.StreamId).Distinct().Count(), channels.Count);
        Assert.All(b.Messages, m => Assert.Equal($"on c{m.StreamId / 2}", Encoding.UTF8.GetString(m.Data)));
    }

    [Fact]
    public void A_negotiated_channel_sends_no_dcep_and_works_on_the_agreed_id()
    {
        var link = NewLink(851);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        link.A.Open(Describe("pre"), negotiatedId: 7, link.Now);
        link.B.Open(Describe("pre"), negotiatedId: 7, link.Now);
        link.A.SendText(7, "ping", link.Now);
        link.B.SendText(7, "pong", link.Now);
        Assert.True(link.RunUntil(() => a.Messages.Count == 1 && b.Messages.Count == 1));
        Assert.Empty(a.Opened);
        Assert.Empty(b.Opened);
        Assert.Equal("pong", Encoding.UTF8.GetString(a.Messages[0].Data));
        Assert.Throws<InvalidOperationException>(() => link.A.Open(Describe("twice"), negotiatedId: 7, link.Now));
    }

    [Fact]
    public void The_end_of_the_association_closes_every_channel()
    {
        var link = NewLink(861);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        link.A.Open(Describe("x"), null, link.Now);
        link.A.Open(Describe("y"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 2));

        link.A.Association.Shutdown(link.Now);
        Assert.True(link.RunUntil(() => a.Down is not null && b.Down is not null));
        Assert.Equal(TransportClosedReason.ClosedLocally, a.Down);
        Assert.Equal(TransportClosedReason.ClosedByPeer, b.Down);
        Assert.Equal(2, a.Closed.Count);
        Assert.Equal(2, b.Closed.Count);
        Assert.Throws<InvalidOperationException>(() => link.A.Open(Describe("after"), null, link.Now));
    }

    private SimulatedMuxLink NewLink(int seed, double loss = 0, double duplicate = 0, int jitterMs = 0, int remoteMaxMessageSize = 0)
    {
        _output.WriteLine($"seed {seed}");
        return new SimulatedMuxLink(seed, loss, duplicate, jitterMs: jitterMs, remoteMaxMessageSize: remoteMaxMessageSize);
    }

    private static DataChannelOpen Describe(string label, string protocol = "", bool ordered = true) =>
        new(DataChannelTypes.From(ordered, DataChannelReliability.Reliable), DataChannelPriority.Normal, 0, label, protocol);
}
