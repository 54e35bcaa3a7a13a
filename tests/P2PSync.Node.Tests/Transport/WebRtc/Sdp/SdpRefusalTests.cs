using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>Every refusal of the parser: the problem it reports and the line it points at.</summary>
public sealed class SdpRefusalTests
{
    private const string Offer = SdpSamples.ChromiumOfferFromNotes;

    public static TheoryData<string, string, string?, int> LineEdits => new()
    {
        // name, line to replace (by its start), replacement (null = delete), expected problem
        { "v=1", "v=", "v=1", (int)WebRtcFormatProblem.Unsupported },
        { "o= with 5 fields", "o=", "o=- 1 2 IN IP4", (int)WebRtcFormatProblem.Malformed },
        { "o= session id not a number", "o=", "o=- 12a 2 IN IP4 127.0.0.1", (int)WebRtcFormatProblem.InvalidValue },
        { "o= session id over 64 bits", "o=", "o=- 18446744073709551616 2 IN IP4 127.0.0.1", (int)WebRtcFormatProblem.InvalidValue },
        { "o= negative version", "o=", "o=- 1 -2 IN IP4 127.0.0.1", (int)WebRtcFormatProblem.InvalidValue },
        { "o= network not IN", "o=", "o=- 1 2 XX IP4 127.0.0.1", (int)WebRtcFormatProblem.Unsupported },
        { "c= address type", "c=", "c=IN IP5 10.78.0.1", (int)WebRtcFormatProblem.Unsupported },
        { "c= address junk", "c=", "c=IN IP4 10.78.0.1;rm", (int)WebRtcFormatProblem.InvalidValue },
        { "c= too few fields", "c=", "c=IN IP4", (int)WebRtcFormatProblem.Malformed },
        { "t= one field", "t=", "t=0", (int)WebRtcFormatProblem.Malformed },
        { "unknown line letter", "s=", "x=1", (int)WebRtcFormatProblem.Unsupported },
        { "no '=' in line", "s=", "s-", (int)WebRtcFormatProblem.Malformed },
        { "upper-case letter", "s=", "S=-", (int)WebRtcFormatProblem.Malformed },
        { "blank line in the middle", "s=", "", (int)WebRtcFormatProblem.Malformed },
        { "control character", "s=", "s=a\u0001b", (int)WebRtcFormatProblem.Malformed },
        { "bare CR inside a line", "s=", "s=a\rb", (int)WebRtcFormatProblem.Malformed },
        { "m= port range", "m=", "m=application 9/2 UDP/DTLS/SCTP webrtc-datachannel", (int)WebRtcFormatProblem.Unsupported },
        { "m= port over 65535", "m=", "m=application 65536 UDP/DTLS/SCTP webrtc-datachannel", (int)WebRtcFormatProblem.InvalidValue },
        { "m= without format", "m=", "m=application 9 UDP/DTLS/SCTP", (int)WebRtcFormatProblem.Malformed },
        { "m= double space", "m=", "m=application  9 UDP/DTLS/SCTP webrtc-datachannel", (int)WebRtcFormatProblem.Malformed },
        { "m= proto with empty part", "m=", "m=application 9 UDP//SCTP webrtc-datachannel", (int)WebRtcFormatProblem.Malformed },
        { "t= inside the m= section", "a=mid:", "t=0 0", (int)WebRtcFormatProblem.Malformed },
        { "a=mid at session level", "a=msid-semantic", "a=mid:0", (int)WebRtcFormatProblem.Malformed },
        { "a=group inside the section", "a=mid:", "a=group:BUNDLE 0", (int)WebRtcFormatProblem.Malformed },
        { "a=mid without value", "a=mid:", "a=mid:", (int)WebRtcFormatProblem.Malformed },
        { "a=mid not a token", "a=mid:", "a=mid:a\"b", (int)WebRtcFormatProblem.Malformed },
        { "a=ice-ufrag with a bad char", "a=ice-ufrag:", "a=ice-ufrag:ab-cd", (int)WebRtcFormatProblem.InvalidValue },
        { "a=ice-pwd over 256", "a=ice-pwd:", "a=ice-pwd:" + new string('p', 257), (int)WebRtcFormatProblem.InvalidValue },
        { "a=ice-options bad tag", "a=ice-options:", "a=ice-options:trickle  x", (int)WebRtcFormatProblem.Malformed },
        { "a=setup unknown", "a=setup:", "a=setup:both", (int)WebRtcFormatProblem.InvalidValue },
        { "a=fingerprint no digest", "a=fingerprint:", "a=fingerprint:sha-256", (int)WebRtcFormatProblem.Malformed },
        { "a=fingerprint bad hex", "a=fingerprint:", "a=fingerprint:sha-256 ZZ:3B", (int)WebRtcFormatProblem.Malformed },
        { "a=fingerprint short digest", "a=fingerprint:", "a=fingerprint:sha-256 D4:3B:35", (int)WebRtcFormatProblem.LengthMismatch },
        { "a=fingerprint 65 bytes", "a=fingerprint:", "a=fingerprint:x-hash " + string.Join(':', Enumerable.Repeat("AB", 65)), (int)WebRtcFormatProblem.TooLarge },
        { "a=sctp-port 0", "a=sctp-port:", "a=sctp-port:0", (int)WebRtcFormatProblem.InvalidValue },
        { "a=sctp-port text", "a=sctp-port:", "a=sctp-port:five", (int)WebRtcFormatProblem.InvalidValue },
        { "a=max-message-size negative", "a=max-message-size:", "a=max-message-size:-1", (int)WebRtcFormatProblem.InvalidValue },
        { "a=max-message-size with plus", "a=max-message-size:", "a=max-message-size:+5", (int)WebRtcFormatProblem.InvalidValue },
        { "a=sctpmap on the modern form", "a=sctp-port:", "a=sctpmap:5001 webrtc-datachannel 1024", (int)WebRtcFormatProblem.InvalidValue },
        { "a=sctpmap wrong shape", "a=sctp-port:", "a=sctpmap:5000", (int)WebRtcFormatProblem.Malformed },
        { "a=candidate too few fields", "a=candidate:", "a=candidate:1 1 udp 2 10.0.0.1 9 typ", (int)WebRtcFormatProblem.Malformed },
        { "a=candidate unknown type", "a=candidate:", "a=candidate:1 1 udp 2 10.0.0.1 9 typ magic", (int)WebRtcFormatProblem.InvalidValue },
        { "a=candidate raddr without rport", "a=candidate:", "a=candidate:1 1 udp 2 10.0.0.1 9 typ srflx raddr 10.0.0.2", (int)WebRtcFormatProblem.Malformed },
        { "a=candidate priority 0", "a=candidate:", "a=candidate:1 1 udp 0 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.InvalidValue },
        { "a=group mid unknown", "a=group:", "a=group:BUNDLE 0 1", (int)WebRtcFormatProblem.InvalidValue },
        { "a=group with double space", "a=group:", "a=group:BUNDLE  0", (int)WebRtcFormatProblem.Malformed },
    };

    [Theory]
    [MemberData(nameof(LineEdits))]
    public void Refuses_a_bad_line(string name, string lineStart, string? replacement, int problem)
    {
        var sdp = SdpAssert.ReplaceLine(Offer, lineStart, replacement);
        var expectedLine = SdpAssert.LineOf(Offer, lineStart);
        var error = Assert.Throws<WebRtcFormatException>(() => SdpParser.Parse(sdp));

        Assert.True((WebRtcFormatProblem)problem == error.Problem, $"{name}: expected {(WebRtcFormatProblem)problem}, got {error.Problem}: {error.Message}");
        // The group refusal is only known once every mid is read, so it points past the end.
        var line = lineStart == "a=group:" && error.Problem == WebRtcFormatProblem.InvalidValue ? sdp.TrimEnd().Split("\r\n").Length + 1 : expectedLine;
        Assert.StartsWith($"Sdp: line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a=ice-ufrag:", "a=ice-ufrag:abcd")]
    [InlineData("a=ice-pwd:", "a=ice-pwd:abcdefghijklmnopqrstuvwxyz")]
    [InlineData("a=setup:", "a=setup:active")]
    [InlineData("a=mid:", "a=mid:1")]
    [InlineData("a=sctp-port:", "a=sctp-port:5001")]
    [InlineData("a=max-message-size:", "a=max-message-size:1")]
    [InlineData("a=ice-options:", "a=ice-options:trickle")]
    [InlineData("c=", "c=IN IP4 10.0.0.9")]
    public void Refuses_a_single_valued_attribute_twice_at_one_level(string lineStart, string second)
    {
        var error = SdpAssert.Refused(SdpAssert.InsertAfter(Offer, lineStart, second), WebRtcFormatProblem.InvalidValue, SdpAssert.LineOf(Offer, lineStart) + 1);

        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_text_that_does_not_start_with_v0()
    {
        SdpAssert.Refused("o=- 1 2 IN IP4 0.0.0.0\r\nv=0\r\n", WebRtcFormatProblem.Malformed, 1);
        SdpAssert.Refused("hello", WebRtcFormatProblem.Malformed, 1);
        SdpAssert.Refused(Offer + "v=0\r\n", WebRtcFormatProblem.Malformed);
    }

    [Fact]
    public void Refuses_empty_text_and_a_missing_session_line()
    {
        SdpAssert.Refused("", WebRtcFormatProblem.Missing, 1);
        SdpAssert.Refused("\r\n\r\n", WebRtcFormatProblem.Missing);
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "o=", null), WebRtcFormatProblem.Missing);
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "s=", null), WebRtcFormatProblem.Missing);
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "t=", null), WebRtcFormatProblem.Missing);
        SdpAssert.Refused(SdpAssert.InsertAfter(Offer, "o=", "o=- 1 2 IN IP4 0.0.0.0"), WebRtcFormatProblem.InvalidValue, 3);
    }

    [Fact]
    public void Refuses_two_sections_with_one_mid()
    {
        var second = "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n";

        SdpAssert.Refused(Offer + second, WebRtcFormatProblem.InvalidValue);
    }

    [Fact]
    public void Refuses_oversized_input()
    {
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "s=", "s=" + new string('x', SdpParser.MaxLineLength)), WebRtcFormatProblem.TooLarge, 3);
        var many = string.Concat(Enumerable.Repeat("a=x-filler:" + new string('y', 1000) + "\r\n", 70));
        var error = Assert.Throws<WebRtcFormatException>(() => SdpParser.Parse(Offer + many));
        Assert.Equal(WebRtcFormatProblem.TooLarge, error.Problem);
        // Non-ASCII text counts in UTF-8 bytes: 30 000 three-byte characters are over 64 KiB.
        var wide = Assert.Throws<WebRtcFormatException>(() => SdpParser.Parse(Offer + "a=x:" + new string('✓', 30_000)));
        Assert.Equal(WebRtcFormatProblem.TooLarge, wide.Problem);
    }

    [Fact]
    public void A_bad_candidate_line_is_reported_once_with_the_sdp_layer_and_its_line()
    {
        // The candidate grammar lives in Ice/; its refusal is re-tagged, not wrapped in a second prefix.
        var line = SdpAssert.LineOf(Offer, "a=candidate:");
        var error = SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "a=candidate:", "a=candidate:1 1 udp 2 10.0.0.1 9 typ magic"), WebRtcFormatProblem.InvalidValue, line);

        Assert.DoesNotContain("Ice:", error.Message, StringComparison.Ordinal);
        Assert.Contains("candidate type 'magic'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_more_candidates_than_the_limit()
    {
        var candidates = Enumerable.Range(0, SdpParser.MaxCandidates + 1)
            .Select(i => $"a=candidate:{i} 1 udp 2113937151 10.0.{i / 250}.{i % 250} 9 typ host")
            .ToArray();

        SdpAssert.Refused(SdpAssert.InsertAfter(Offer, "a=mid:", candidates), WebRtcFormatProblem.TooLarge);
    }

    [Fact]
    public void Refuses_null()
    {
        Assert.Throws<ArgumentNullException>(() => SdpParser.Parse(null!));
    }
}
