using P2PSync.Node.Tests.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Dcep;
using P2PSync.Node.Transport.WebRtc.Sctp;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

/// <summary>What a peer's bad DCEP and bad user messages do to our mux: counted and dropped, never thrown.</summary>
public sealed class DataChannelMuxHostileInputTests
{
    private readonly ITestOutputHelper _output;

    public DataChannelMuxHostileInputTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Bad_ppids_bad_utf8_and_messages_on_streams_without_a_channel_are_dropped_and_counted()
    {
        var link = new SimulatedMuxLink(901);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var channel = link.A.Open(Describe("victim"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 1));

        var raw = link.A.Association;
        raw.Send(channel.StreamId, 51, new byte[] { 0xC3, 0x28 }, true, SctpReliability.Reliable, link.Now); // not UTF-8
        raw.Send(channel.StreamId, 99, new byte[] { 1 }, true, SctpReliability.Reliable, link.Now);        // unknown PPID
        raw.Send(channel.StreamId, 56, new byte[] { 0, 0 }, true, SctpReliability.Reliable, link.Now);    // empty marker of 2 bytes
        raw.Send(channel.StreamId, 52, new byte[] { 1 }, true, SctpReliability.Reliable, link.Now);       // deprecated partial
        raw.Send(40, 53, new byte[] { 1 }, true, SctpReliability.Reliable, link.Now);                     // no channel there
        raw.Send(channel.StreamId, 50, new byte[] { 0x02 }, true, SctpReliability.Reliable, link.Now);    // an ACK nobody asked for
        link.A.SendText(channel.StreamId, "still fine", link.Now);

        Assert.True(link.RunUntil(() => b.Messages.Count == 1));
        Assert.Equal(6, link.B.MessagesDropped);
        Assert.Equal("still fine", System.Text.Encoding.UTF8.GetString(b.Messages[0].Data));
    }

    [Fact]
    public void A_malformed_open_creates_no_channel_and_its_stream_is_reset()
    {
        var link = new SimulatedMuxLink(902);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());

        // Declares a 10-byte label but carries 2.
        byte[] broken = [0x03, 0x00, 0x01, 0x00, 0, 0, 0, 0, 0, 10, 0, 0, (byte)'h', (byte)'i'];
        link.A.Association.Send(4, 50, broken, true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => link.B.OpensRefused == 1));
        Assert.Empty(b.Opened);
        Assert.Empty(link.B.Channels);

        // The association carries on: a proper OPEN on the next id works.
        link.A.Open(Describe("good"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 1));
    }

    [Fact]
    public void A_second_open_on_a_stream_in_use_closes_that_stream()
    {
        var link = new SimulatedMuxLink(903);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var channel = link.A.Open(Describe("first"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 1));

        link.A.Association.Send(channel.StreamId, 50, DcepCodec.ToArray(Describe("intruder")), true, SctpReliability.Reliable, link.Now);
        Assert.True(link.RunUntil(() => a.Closed.Count == 1 && b.Closed.Count == 1));
        Assert.Equal(1, link.B.OpensRefused);
        Assert.Single(b.Opened);
    }

    [Fact]
    public void An_open_that_arrives_while_our_send_buffer_is_full_still_creates_the_channel()
    {
        var link = new SimulatedMuxLink(904, sendBufferLimit: 64 * 1024);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        link.B.Open(Describe("filler"), negotiatedId: 9, link.Now);
        link.A.Open(Describe("filler"), negotiatedId: 9, link.Now);
        void FillUntilRefused()
        {
            while (true)
            {
                link.B.SendBinary(9, new byte[8192], link.Now);
            }
        }

        Assert.Throws<SctpSendRefusedException>(FillUntilRefused);

        link.A.Open(Describe("squeezed"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 1));
        Assert.Equal(1, link.B.AcksNotSent);
        Assert.Equal("squeezed", b.Opened[0].Description.Label);
        link.A.SendText(0, "it works anyway", link.Now);
        Assert.True(link.RunUntil(() => b.Messages.Any(m => m.StreamId == 0)));
        Assert.Empty(a.Acknowledged);
    }

    [Fact]
    public void A_message_over_our_limit_closes_only_its_channel()
    {
        var link = new SimulatedMuxLink(905, localMaxMessageSize: 10_000);
        var a = new MuxRecorder(link.A);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var victim = link.A.Open(Describe("too-big"), null, link.Now);
        var bystander = link.A.Open(Describe("fine"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Count == 2));

        // The receiving association drops it and resets its own outgoing half first: the mux sees a
        // close it did not ask for begin on our side, and completes it when the peer's half follows.
        link.A.SendBinary(victim.StreamId, new byte[20_000], link.Now);
        Assert.True(link.RunUntil(() => a.Closed.Contains(victim.StreamId) && b.Closed.Contains(victim.StreamId)));
        Assert.Equal(1, link.B.Association.OversizedMessagesDropped);
        Assert.DoesNotContain(b.Messages, m => m.StreamId == victim.StreamId);

        link.A.SendText(bystander.StreamId, "unaffected", link.Now);
        Assert.True(link.RunUntil(() => b.Messages.Any(m => m.StreamId == bystander.StreamId)));
    }

    [Theory]
    [InlineData(911)]
    [InlineData(912)]
    [InlineData(913)]
    public void Seeded_mutations_of_dcep_messages_never_throw_and_leave_the_mux_working(int seed)
    {
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var link = new SimulatedMuxLink(seed);
        var b = new MuxRecorder(link.B);
        Assert.True(link.Connect());
        var original = DcepCodec.ToArray(Describe("label", "proto"));
        ushort stream = 100;
        for (var i = 0; i < 200; i++)
        {
            var mutated = original.ToArray();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var cut = random.Next(4) == 0 ? mutated[..random.Next(1, mutated.Length)] : mutated;
            link.A.Association.Send(stream, 50, cut, true, SctpReliability.Reliable, link.Now);
            stream += 2;
            link.RunUntil(() => false, 50);
        }

        Assert.True(link.RunUntil(() => b.Opened.Count + link.B.OpensRefused + link.B.MessagesDropped >= 200, 60_000));

        // Whatever was accepted is a channel we track; the mux still opens a good one.
        Assert.Equal(b.Opened.Count, link.B.Channels.Count);
        var good = link.A.Open(Describe("after the storm"), null, link.Now);
        Assert.True(link.RunUntil(() => b.Opened.Any(c => c.Description.Label == "after the storm")));
        Assert.Equal(0, good.StreamId);
    }

    private static DataChannelOpen Describe(string label, string protocol = "") =>
        new(DataChannelType.Reliable, DataChannelPriority.Normal, 0, label, protocol);
}
