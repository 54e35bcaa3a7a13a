using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>Offers and answers against the real Chromium and werift descriptions (notes §2.3, §5.3).</summary>
public sealed class OfferAnswerTests
{
    private static readonly DtlsFingerprint OurFingerprint = DtlsFingerprint.Parse(
        "sha-256 01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF");

    private static readonly LocalSessionParameters Local = new()
    {
        SessionId = 4242424242424242424,
        IceUfrag = "OurUfrag",
        IcePwd = "OurPasswordIs24CharsLon",
        Fingerprint = OurFingerprint,
    };

    [Fact]
    public void Our_offer_is_the_shape_of_notes_5_3()
    {
        var text = SdpWriter.Write(OfferAnswer.CreateOffer(Local));

        Assert.Equal(
            "v=0\r\no=- 4242424242424242424 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n" +
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
            "a=ice-ufrag:OurUfrag\r\na=ice-pwd:OurPasswordIs24CharsLon\r\na=ice-options:trickle\r\n" +
            "a=fingerprint:sha-256 01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF\r\n" +
            "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n",
            text);
    }

    [Fact]
    public void Chromium_and_werift_accepted_our_offer_and_their_answers_settle_the_session()
    {
        // Both answers were captured by feeding the golden offer above to setRemoteDescription (see SdpSamples).
        var ourOffer = OfferAnswer.CreateOffer(Local);

        var chromium = OfferAnswer.AcceptAnswer(ourOffer, SdpParser.Parse(SdpSamples.ChromiumAnswerToOurOffer));
        var werift = OfferAnswer.AcceptAnswer(ourOffer, SdpParser.Parse(SdpSamples.WeriftAnswerToOurOffer));

        Assert.Equal((DtlsRole.Server, 262144UL, "ACd0"), (chromium.LocalDtlsRole, chromium.MaxSendMessageSize, chromium.RemoteIceUfrag));
        Assert.Equal((DtlsRole.Server, 65536UL, "875e"), (werift.LocalDtlsRole, werift.MaxSendMessageSize, werift.RemoteIceUfrag));
        Assert.Equal(("0", 0, 262144UL), (chromium.Mid, chromium.MLineIndex, chromium.MaxReceiveMessageSize));
        Assert.True(werift.RemoteEndOfCandidates);
        Assert.Equal("10.79.0.1", Assert.Single(werift.RemoteCandidates).Address);
    }

    [Fact]
    public void Gathered_candidates_follow_the_attributes_and_end_the_list()
    {
        var candidate = IceCandidateLine.Parse("candidate:1 1 udp 2113937151 10.78.0.2 40000 typ host");
        var offer = OfferAnswer.CreateOffer(Local with { Candidates = [candidate], EndOfCandidates = true });

        Assert.EndsWith(
            "a=max-message-size:262144\r\na=candidate:1 1 udp 2113937151 10.78.0.2 40000 typ host\r\na=end-of-candidates\r\n",
            SdpWriter.Write(offer),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Answering_Chromium_makes_us_the_active_dtls_client()
    {
        var result = OfferAnswer.Answer(SdpParser.Parse(SdpSamples.ChromiumOfferFromNotes), Local);
        var answer = SdpWriter.Write(result.Answer);
        var negotiated = result.Negotiated;

        Assert.Contains("a=setup:active\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=mid:0\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("extmap", answer, StringComparison.Ordinal);
        Assert.Equal(DtlsRole.Client, negotiated.LocalDtlsRole);
        Assert.Equal(("/RtL", "GfbRbTUrY+9pC/wRURftrnCw"), (negotiated.RemoteIceUfrag, negotiated.RemoteIcePwd));
        Assert.Equal(SdpParser.Parse(SdpSamples.ChromiumOfferFromNotes).DataSection!.Fingerprints, negotiated.RemoteFingerprints);
        Assert.Equal(262144UL, negotiated.MaxSendMessageSize);
        Assert.Equal(262144UL, negotiated.MaxReceiveMessageSize);
        Assert.Equal((5000, 5000), (negotiated.LocalSctpPort, negotiated.RemoteSctpPort));
        Assert.Equal(("0", 0), (negotiated.Mid, negotiated.MLineIndex));
        Assert.Single(negotiated.RemoteCandidates);
        Assert.True(negotiated.RemoteSupportsTrickle);
        Assert.False(negotiated.RemoteEndOfCandidates);
    }

    [Fact]
    public void Our_answer_is_itself_a_valid_answer_to_the_offer()
    {
        var offer = SdpParser.Parse(SdpSamples.WeriftOffer);
        var answer = SdpParser.Parse(SdpWriter.Write(OfferAnswer.Answer(offer, Local).Answer));

        // Seen from werift's side: we are active, so werift (the offerer) is the DTLS server.
        var theirs = OfferAnswer.AcceptAnswer(offer, answer);

        Assert.Equal(DtlsRole.Server, theirs.LocalDtlsRole);
        Assert.Equal("OurUfrag", theirs.RemoteIceUfrag);
        Assert.Equal(262144UL, theirs.MaxSendMessageSize);
        Assert.Equal(65536UL, theirs.MaxReceiveMessageSize);
    }

    [Fact]
    public void Werifts_offer_limits_what_we_send_to_65536()
    {
        var negotiated = OfferAnswer.Answer(SdpParser.Parse(SdpSamples.WeriftOffer), Local).Negotiated;

        Assert.Equal(65536UL, negotiated.MaxSendMessageSize);
        Assert.Equal(2, negotiated.RemoteCandidates.Count);
        Assert.True(negotiated.RemoteEndOfCandidates);
    }

    [Fact]
    public void Chromiums_answer_without_max_message_size_means_65536_and_makes_us_the_server()
    {
        var ourOffer = OfferAnswer.CreateOffer(Local);

        var negotiated = OfferAnswer.AcceptAnswer(ourOffer, SdpParser.Parse(SdpSamples.ChromiumAnswerToWerift));

        Assert.Equal(DtlsRole.Server, negotiated.LocalDtlsRole);
        Assert.Equal(65536UL, negotiated.MaxSendMessageSize);
        Assert.Equal("MaK1", negotiated.RemoteIceUfrag);
    }

    [Fact]
    public void Werifts_answer_with_max_message_size_0_lifts_the_limit()
    {
        var negotiated = OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), SdpParser.Parse(SdpSamples.WeriftAnswer));

        Assert.Null(negotiated.MaxSendMessageSize);
    }

    [Theory]
    [InlineData("a=setup:passive", "a=setup:active", (int)DtlsRole.Client)]
    [InlineData("a=setup:active", "a=setup:passive", (int)DtlsRole.Server)]
    [InlineData(null, "a=setup:active", (int)DtlsRole.Client)]
    public void The_offers_setup_decides_our_answer(string? offerSetup, string answerSetup, int role)
    {
        var offer = SdpParser.Parse(SdpAssert.ReplaceLine(SdpSamples.ChromiumOfferFromNotes, "a=setup:", offerSetup));

        var result = OfferAnswer.Answer(offer, Local);

        Assert.Contains(answerSetup + "\r\n", SdpWriter.Write(result.Answer), StringComparison.Ordinal);
        Assert.Equal((DtlsRole)role, result.Negotiated.LocalDtlsRole);
    }

    [Theory]
    [InlineData("a=setup:passive", (int)DtlsRole.Client)]
    [InlineData(null, (int)DtlsRole.Server)]
    public void The_answers_setup_decides_our_role(string? answerSetup, int role)
    {
        var answer = SdpParser.Parse(SdpAssert.ReplaceLine(SdpSamples.ChromiumAnswerToWerift, "a=setup:", answerSetup));

        Assert.Equal((DtlsRole)role, OfferAnswer.AcceptAnswer(OfferAnswer.CreateOffer(Local), answer).LocalDtlsRole);
    }

    [Fact]
    public void Media_sections_are_rejected_in_place_and_left_out_of_the_bundle()
    {
        var offer = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a data v\r\n" +
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\na=rtpmap:111 opus/48000/2\r\n" +
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:data\r\n" +
            "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
            "a=fingerprint:sha-256 D4:3B:35:09:A1:CC:65:2A:02:34:8B:D5:88:59:34:F8:4E:35:62:C9:F9:A1:3C:FD:71:85:0A:7C:2F:F1:0C:07\r\n" +
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:v\r\n";

        var result = OfferAnswer.Answer(SdpParser.Parse(offer), Local);
        var text = SdpWriter.Write(result.Answer);

        Assert.Contains("a=group:BUNDLE data\r\n", text, StringComparison.Ordinal);
        Assert.Contains("m=audio 0 UDP/TLS/RTP/SAVPF 111 63\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\nm=application 9", text, StringComparison.Ordinal);
        Assert.EndsWith("m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:v\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rtpmap", text, StringComparison.Ordinal);
        Assert.Equal(("data", 1), (result.Negotiated.Mid, result.Negotiated.MLineIndex));
        Assert.Equal(65536UL, result.Negotiated.MaxSendMessageSize);
    }

    [Fact]
    public void An_offer_without_mid_gets_an_answer_without_mid_or_bundle()
    {
        var offer = SdpAssert.ReplaceLine(SdpAssert.ReplaceLine(SdpSamples.ChromiumOfferFromNotes, "a=group:", null), "a=mid:", null);

        var text = SdpWriter.Write(OfferAnswer.Answer(SdpParser.Parse(offer), Local).Answer);

        Assert.DoesNotContain("a=mid", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a=group", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_offer_is_answered_in_the_legacy_form()
    {
        var offer = SdpAssert.ReplaceLine(SdpSamples.ChromiumOfferFromNotes, "m=", "m=application 9 DTLS/SCTP 5000");
        offer = SdpAssert.ReplaceLine(offer, "a=sctp-port:", "a=sctpmap:5000 webrtc-datachannel 1024");

        var text = SdpWriter.Write(OfferAnswer.Answer(SdpParser.Parse(offer), Local with { SctpPort = 5001 }).Answer);

        Assert.Contains("m=application 9 DTLS/SCTP 5001\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=sctpmap:5001 webrtc-datachannel 65535\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a=sctp-port", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_offers_we_cannot_answer()
    {
        var noData = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\n";
        Refused(noData, WebRtcFormatProblem.Missing);
        Refused("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", WebRtcFormatProblem.Missing);

        var rejected = SdpSamples.ChromiumOfferFromNotes.Replace("m=application 41339", "m=application 0", StringComparison.Ordinal);
        Refused(rejected, WebRtcFormatProblem.Unsupported);

        var tcp = SdpSamples.ChromiumOfferFromNotes.Replace("UDP/DTLS/SCTP", "TCP/DTLS/SCTP", StringComparison.Ordinal);
        Refused(tcp, WebRtcFormatProblem.Unsupported);

        var holdconn = SdpAssert.ReplaceLine(SdpSamples.ChromiumOfferFromNotes, "a=setup:", "a=setup:holdconn");
        Refused(holdconn, WebRtcFormatProblem.Unsupported);
    }

    [Fact]
    public void Refuses_an_ice_restart_in_a_re_offer()
    {
        var first = OfferAnswer.Answer(SdpParser.Parse(SdpSamples.ChromiumOfferFromNotes), Local).Negotiated;
        var same = SdpParser.Parse(SdpSamples.ChromiumOfferFromNotes.Replace(" 2 IN IP4", " 3 IN IP4", StringComparison.Ordinal));
        var restart = SdpParser.Parse(SdpSamples.ChromiumOfferFromNotes.Replace("a=ice-ufrag:/RtL", "a=ice-ufrag:N3wU", StringComparison.Ordinal));

        Assert.Equal(first.LocalDtlsRole, OfferAnswer.Answer(same, Local with { SessionVersion = 2 }, first).Negotiated.LocalDtlsRole);
        SdpAssert.Refused(() => OfferAnswer.Answer(restart, Local with { SessionVersion = 2 }, first), WebRtcFormatProblem.Unsupported);
    }

    [Fact]
    public void Refuses_answers_that_do_not_fit_our_offer()
    {
        var ourOffer = OfferAnswer.CreateOffer(Local);
        var good = SdpSamples.ChromiumAnswerToWerift;

        Accept(SdpAssert.ReplaceLine(good, "a=setup:", "a=setup:actpass"), WebRtcFormatProblem.InvalidValue);
        Accept(SdpAssert.ReplaceLine(good, "a=setup:", "a=setup:holdconn"), WebRtcFormatProblem.InvalidValue);
        Accept(good.Replace("m=application 9", "m=application 0", StringComparison.Ordinal), WebRtcFormatProblem.Unsupported);
        Accept(SdpAssert.ReplaceLine(SdpAssert.ReplaceLine(good, "a=mid:", "a=mid:1"), "a=group:", "a=group:BUNDLE 1"), WebRtcFormatProblem.InvalidValue);
        Accept(good + "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n", WebRtcFormatProblem.InvalidValue);
        Accept(SdpAssert.ReplaceLine(good, "m=", "m=audio 9 UDP/TLS/RTP/SAVPF 111"), WebRtcFormatProblem.InvalidValue);

        void Accept(string answer, WebRtcFormatProblem problem) =>
            SdpAssert.Refused(() => OfferAnswer.AcceptAnswer(ourOffer, SdpParser.Parse(answer)), problem);
    }

    [Fact]
    public void Refuses_our_own_bad_parameters_as_programming_errors()
    {
        Assert.Throws<ArgumentException>(() => OfferAnswer.CreateOffer(Local with { IceUfrag = "abc" }));
        Assert.Throws<ArgumentException>(() => OfferAnswer.CreateOffer(Local with { IcePwd = "short" }));
        Assert.Throws<ArgumentException>(() => OfferAnswer.CreateOffer(Local with { Mid = "a b" }));
        Assert.Throws<ArgumentException>(() => OfferAnswer.CreateOffer(Local with { SctpPort = 0 }));
        Assert.Throws<ArgumentException>(() => OfferAnswer.CreateOffer(Local with { SessionId = ulong.MaxValue }));
    }

    private static void Refused(string offer, WebRtcFormatProblem problem) =>
        SdpAssert.Refused(() => OfferAnswer.Answer(SdpParser.Parse(offer), Local), problem);
}
