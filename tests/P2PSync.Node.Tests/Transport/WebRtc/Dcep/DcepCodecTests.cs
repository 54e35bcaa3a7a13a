using System.Buffers;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dcep;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

/// <summary>DATA_CHANNEL_OPEN and ACK against the bytes Chromium sent (notes §4.1), and every refusal.</summary>
public sealed class DcepCodecTests
{
    /// <summary>Chromium's OPEN for createDataChannel("chat"): reliable, ordered, priority 256.</summary>
    internal static readonly byte[] ChromiumChatOpen = Convert.FromHexString("03000100000000000004000063686174");

    /// <summary>Chromium's OPEN for createDataChannel("unrel", {ordered: false, maxRetransmits: 0, protocol: "p1"}).</summary>
    internal static readonly byte[] ChromiumUnreliableOpen = Convert.FromHexString("038101000000000000050002756e72656c7031");

    [Fact]
    public void Reads_Chromiums_reliable_open()
    {
        var open = Assert.IsType<DataChannelOpen>(DcepCodec.Read(ChromiumChatOpen));

        Assert.Equal(new DataChannelOpen(DataChannelType.Reliable, DataChannelPriority.Normal, 0, "chat", ""), open);
        Assert.True(open.IsOrdered);
        Assert.Equal(DataChannelReliability.Reliable, open.Reliability);
    }

    [Fact]
    public void Reads_Chromiums_unordered_partial_open_with_a_protocol()
    {
        var open = Assert.IsType<DataChannelOpen>(DcepCodec.Read(ChromiumUnreliableOpen));

        Assert.Equal(DataChannelType.PartialReliableRexmitUnordered, open.ChannelType);
        Assert.False(open.IsOrdered);
        Assert.Equal(DataChannelReliability.MaxRetransmits, open.Reliability);
        Assert.Equal(0u, open.ReliabilityParameter);
        Assert.Equal(("unrel", "p1"), (open.Label, open.Protocol));
    }

    [Fact]
    public void Writes_exactly_Chromiums_bytes()
    {
        Assert.Equal(ChromiumChatOpen, DcepCodec.ToArray(new DataChannelOpen(DataChannelType.Reliable, 256, 0, "chat", "")));
        Assert.Equal(
            ChromiumUnreliableOpen,
            DcepCodec.ToArray(new DataChannelOpen(DataChannelType.PartialReliableRexmitUnordered, 256, 0, "unrel", "p1")));
    }

    [Fact]
    public void Ack_is_the_single_byte_2()
    {
        Assert.Equal([0x02], DcepCodec.ToArray(DataChannelAck.Instance));
        Assert.Same(DataChannelAck.Instance, DcepCodec.Read([0x02]));
    }

    [Theory]
    [InlineData((byte)DataChannelType.PartialReliableTimed, DataChannelPriority.High, 1500u, "timed", "")]
    [InlineData((byte)DataChannelType.PartialReliableTimedUnordered, DataChannelPriority.ExtraHigh, uint.MaxValue, "", "x")]
    [InlineData((byte)DataChannelType.PartialReliableRexmit, DataChannelPriority.BelowNormal, 3u, "ünïcödé ✓ 😀", "sub/proto")]
    [InlineData((byte)DataChannelType.ReliableUnordered, (ushort)7, 0u, "", "")]
    public void Round_trips_every_field(byte type, ushort priority, uint parameter, string label, string protocol)
    {
        var open = new DataChannelOpen((DataChannelType)type, priority, parameter, label, protocol);
        var bytes = DcepCodec.ToArray(open);

        Assert.Equal(DcepCodec.OpenHeaderLength + System.Text.Encoding.UTF8.GetByteCount(label + protocol), bytes.Length);
        Assert.Equal(open, DcepCodec.Read(bytes));
    }

    [Fact]
    public void A_label_of_65535_bytes_fits_and_one_more_does_not()
    {
        var longest = new DataChannelOpen(DataChannelType.Reliable, 256, 0, new string('a', ushort.MaxValue), "");
        Assert.Equal(longest, DcepCodec.Read(DcepCodec.ToArray(longest)));

        var tooLong = longest with { Protocol = "", Label = new string('a', ushort.MaxValue + 1) };
        Assert.Throws<ArgumentException>(() => DcepCodec.Write(tooLong, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Refuses_an_empty_message()
    {
        AssertRefused([], WebRtcFormatProblem.Truncated);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x04)]
    [InlineData(0xFF)]
    public void Refuses_unknown_message_types(byte type)
    {
        var error = AssertRefused([type, 0, 0, 0], WebRtcFormatProblem.Unsupported);
        Assert.Contains($"0x{type:x2}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_ack_with_extra_bytes()
    {
        AssertRefused([0x02, 0x00], WebRtcFormatProblem.LengthMismatch);
    }

    [Fact]
    public void Refuses_every_open_shorter_than_its_header()
    {
        for (var length = 1; length < DcepCodec.OpenHeaderLength; length++)
        {
            AssertRefused(ChromiumChatOpen[..length], WebRtcFormatProblem.Truncated);
        }
    }

    [Fact]
    public void Refuses_an_open_whose_lengths_overrun_the_message()
    {
        // Label and protocol are checked together: a protocol length that runs past the end is caught as well.
        AssertRefused(ChromiumChatOpen[..^1], WebRtcFormatProblem.Truncated);
        var protocolOverrun = (byte[])ChromiumChatOpen.Clone();
        protocolOverrun[11] = 1;
        AssertRefused(protocolOverrun, WebRtcFormatProblem.Truncated);
        var huge = (byte[])ChromiumChatOpen.Clone();
        huge[8] = 0xFF;
        huge[9] = 0xFF;
        AssertRefused(huge, WebRtcFormatProblem.Truncated);
    }

    [Fact]
    public void Refuses_bytes_after_label_and_protocol()
    {
        AssertRefused([.. ChromiumChatOpen, 0x00], WebRtcFormatProblem.LengthMismatch);
    }

    [Theory]
    [InlineData(0x03)]
    [InlineData(0x7F)]
    [InlineData(0x80 | 0x03)]
    [InlineData(0x40)]
    public void Refuses_undefined_channel_types(byte channelType)
    {
        var bytes = (byte[])ChromiumChatOpen.Clone();
        bytes[1] = channelType;
        AssertRefused(bytes, WebRtcFormatProblem.InvalidValue);
    }

    [Fact]
    public void Refuses_a_label_or_protocol_that_is_not_utf8()
    {
        var badLabel = (byte[])ChromiumChatOpen.Clone();
        badLabel[12] = 0xC3; // a lead byte followed by 'h', not a continuation byte
        Assert.Contains("label", AssertRefused(badLabel, WebRtcFormatProblem.InvalidValue).Message, StringComparison.Ordinal);

        var badProtocol = (byte[])ChromiumUnreliableOpen.Clone();
        badProtocol[^1] = 0xFF;
        Assert.Contains("protocol", AssertRefused(badProtocol, WebRtcFormatProblem.InvalidValue).Message, StringComparison.Ordinal);
    }

    internal static WebRtcFormatException AssertRefused(byte[] message, WebRtcFormatProblem problem)
    {
        var error = Assert.Throws<WebRtcFormatException>(() => DcepCodec.Read(message));
        Assert.Equal(WebRtcLayer.Dcep, error.Layer);
        Assert.Equal(problem, error.Problem);
        return error;
    }
}
