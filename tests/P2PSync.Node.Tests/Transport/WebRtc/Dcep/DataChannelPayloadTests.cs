using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dcep;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

/// <summary>User messages to PPIDs and back, as Chromium sent them (notes §4.3).</summary>
public sealed class DataChannelPayloadTests
{
    [Fact]
    public void Text_goes_as_ppid_51_and_empty_text_as_56_with_one_zero_byte()
    {
        var (ppid, payload) = DataChannelPayload.ForText("hi");
        Assert.Equal(PayloadProtocolId.String, ppid);
        Assert.Equal("hi"u8.ToArray(), payload.ToArray());

        var (emptyPpid, emptyPayload) = DataChannelPayload.ForText("");
        Assert.Equal(PayloadProtocolId.StringEmpty, emptyPpid);
        Assert.Equal([0], emptyPayload.ToArray());
    }

    [Fact]
    public void Binary_goes_as_ppid_53_uncopied_and_empty_binary_as_57()
    {
        var data = new byte[3000];
        var (ppid, payload) = DataChannelPayload.ForBinary(data);
        Assert.Equal(PayloadProtocolId.Binary, ppid);
        Assert.True(payload.Span == data.AsSpan(), "the payload is the caller's buffer, not a copy");

        var (emptyPpid, emptyPayload) = DataChannelPayload.ForBinary(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(PayloadProtocolId.BinaryEmpty, emptyPpid);
        Assert.Equal([0], emptyPayload.ToArray());
    }

    [Fact]
    public void Reads_what_Chromium_sent()
    {
        var empty = DataChannelPayload.Read(56, new byte[] { 0 });
        Assert.True(empty.IsText);
        Assert.Equal("", DataChannelPayload.Text(empty));

        var hi = DataChannelPayload.Read(51, "hi"u8.ToArray());
        Assert.Equal("hi", DataChannelPayload.Text(hi));

        var emptyBinary = DataChannelPayload.Read(57, new byte[] { 0 });
        Assert.False(emptyBinary.IsText);
        Assert.True(emptyBinary.Data.IsEmpty);

        var bulk = DataChannelPayload.Read(53, new byte[3000]);
        Assert.Equal(3000, bulk.Data.Length);
    }

    [Theory]
    [InlineData(52u, (int)WebRtcFormatProblem.Unsupported)]
    [InlineData(54u, (int)WebRtcFormatProblem.Unsupported)]
    [InlineData(50u, (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData(0u, (int)WebRtcFormatProblem.Unsupported)]
    [InlineData(55u, (int)WebRtcFormatProblem.Unsupported)]
    [InlineData(uint.MaxValue, (int)WebRtcFormatProblem.Unsupported)]
    public void Refuses_ppids_that_carry_no_user_message(uint ppid, int problem)
    {
        var error = Assert.Throws<WebRtcFormatException>(() => DataChannelPayload.Read(ppid, new byte[] { 1, 2 }));
        Assert.Equal((WebRtcLayer.Dcep, (WebRtcFormatProblem)problem), (error.Layer, error.Problem));
        Assert.Contains(ppid.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(56u, 2)]
    [InlineData(57u, 0)]
    [InlineData(57u, 5)]
    public void Refuses_an_empty_message_marker_of_the_wrong_length(uint ppid, int length)
    {
        var error = Assert.Throws<WebRtcFormatException>(() => DataChannelPayload.Read(ppid, new byte[length]));
        Assert.Equal(WebRtcFormatProblem.LengthMismatch, error.Problem);
    }

    [Fact]
    public void Refuses_text_that_is_not_utf8()
    {
        var error = Assert.Throws<WebRtcFormatException>(() => DataChannelPayload.Read(51, new byte[] { 0x68, 0xC3 }));
        Assert.Equal(WebRtcFormatProblem.InvalidValue, error.Problem);
    }
}
