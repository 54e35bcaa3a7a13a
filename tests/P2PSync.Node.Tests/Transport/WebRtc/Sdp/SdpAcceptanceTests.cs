using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>The acceptance matrix of notes §5.2: what Chromium accepts we accept, what it refuses we refuse.</summary>
public sealed class SdpAcceptanceTests
{
    private const string Offer = SdpSamples.ChromiumOfferFromNotes;

    [Fact]
    public void Accepts_no_bundle_group_no_mid_no_connection_no_sctp_port_no_ice_options()
    {
        var sdp = Offer;
        foreach (var line in new[] { "a=group:", "a=mid:", "c=", "a=sctp-port:", "a=ice-options:" })
        {
            sdp = SdpAssert.ReplaceLine(sdp, line, null);
        }

        var description = SdpParser.Parse(sdp);
        var data = description.DataSection!;

        Assert.Empty(description.BundleGroups);
        Assert.Null(data.Mid);
        Assert.Null(data.Connection);
        Assert.Null(data.SctpPort);
        Assert.Equal(5000, data.EffectiveSctpPort);
        Assert.False(data.SupportsTrickle);
    }

    [Fact]
    public void Accepts_lower_case_hex_and_a_sha1_fingerprint()
    {
        var lower = SdpParser.Parse(Offer.Replace("D4:3B:35:09:A1:CC", "d4:3b:35:09:a1:cc", StringComparison.Ordinal));
        Assert.Equal(SdpParser.Parse(Offer).DataSection!.Fingerprints, lower.DataSection!.Fingerprints);

        var sha1 = SdpAssert.ReplaceLine(Offer, "a=fingerprint:", "a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");
        var fingerprint = Assert.Single(SdpParser.Parse(sha1).DataSection!.Fingerprints);
        Assert.Equal(("sha-1", 20), (fingerprint.Algorithm, fingerprint.Digest.Length));
    }

    [Fact]
    public void Accepts_several_fingerprints()
    {
        var sdp = SdpAssert.InsertAfter(Offer, "a=fingerprint:", "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");

        Assert.Equal(["sha-256", "sha-1"], SdpParser.Parse(sdp).DataSection!.Fingerprints.Select(f => f.Algorithm));
    }

    [Fact]
    public void Accepts_no_setup_and_leaves_the_default_to_offer_answer()
    {
        var data = SdpParser.Parse(SdpAssert.ReplaceLine(Offer, "a=setup:", null)).DataSection!;

        Assert.Null(data.Setup);
    }

    [Fact]
    public void Ignores_unknown_attributes_and_never_writes_them()
    {
        var sdp = SdpAssert.InsertAfter(Offer, "a=sctp-port:", "a=sctp-init:AAAA", "a=x-made-up", "a=rtcp-mux");
        sdp = SdpAssert.InsertAfter(sdp, "t=", "a=tool:someone");

        var written = SdpWriter.Write(SdpParser.Parse(sdp));

        Assert.Equal(SdpWriter.Write(SdpParser.Parse(Offer)), written);
        Assert.DoesNotContain("sctp-init", written, StringComparison.Ordinal);
        Assert.DoesNotContain("tool", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_informational_and_bandwidth_lines()
    {
        var sdp = SdpAssert.InsertAfter(Offer, "s=", "i=a session", "u=http://example.invalid/", "e=a@example.invalid", "p=+1 555", "b=AS:30");
        sdp = SdpAssert.InsertAfter(sdp, "c=", "b=AS:30", "i=data");

        Assert.Equal(SdpWriter.Write(SdpParser.Parse(Offer)), SdpWriter.Write(SdpParser.Parse(sdp)));
    }

    [Fact]
    public void A_port_0_section_is_rejected_and_gives_no_data_section()
    {
        var description = SdpParser.Parse(Offer.Replace("m=application 41339", "m=application 0", StringComparison.Ordinal));

        Assert.True(description.MediaSections[0].IsRejected);
        Assert.Null(description.DataSection);
        Assert.Equal(-1, description.DataSectionIndex);
    }

    [Fact]
    public void A_rejected_data_section_needs_no_credentials()
    {
        var sdp = SdpAssert.ReplaceLine(Offer.Replace("m=application 41339", "m=application 0", StringComparison.Ordinal), "a=fingerprint:", null);

        Assert.True(SdpParser.Parse(sdp).MediaSections[0].IsRejected);
    }

    [Fact]
    public void Accepts_the_legacy_dtls_sctp_form()
    {
        var sdp = SdpAssert.ReplaceLine(Offer, "m=", "m=application 9 DTLS/SCTP 5000");
        sdp = SdpAssert.ReplaceLine(sdp, "a=sctp-port:", "a=sctpmap:5000 webrtc-datachannel 1024");

        var data = SdpParser.Parse(sdp).DataSection!;

        Assert.True(data.IsLegacySctp);
        Assert.Equal(5000, data.SctpPort);
    }

    [Fact]
    public void Session_level_transport_attributes_apply_unless_the_section_has_its_own()
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" +
            "a=ice-ufrag:sess\r\na=ice-pwd:sessionpasswordsession\r\na=setup:passive\r\n" +
            "a=fingerprint:sha-256 D4:3B:35:09:A1:CC:65:2A:02:34:8B:D5:88:59:34:F8:4E:35:62:C9:F9:A1:3C:FD:71:85:0A:7C:2F:F1:0C:07\r\n" +
            "a=ice-lite\r\n" +
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:media\r\na=mid:data\r\n";

        var description = SdpParser.Parse(sdp);
        var data = description.DataSection!;

        Assert.True(description.IceLite);
        Assert.Equal(("media", "sessionpasswordsession", SdpSetupRole.Passive), (data.IceUfrag, data.IcePwd, data.Setup));
        Assert.Single(data.Fingerprints);
    }

    [Fact]
    public void Tcp_candidates_are_dropped()
    {
        var sdp = SdpAssert.InsertAfter(Offer, "a=candidate:", "a=candidate:2 1 tcp 1518280447 10.78.0.1 9 typ host tcptype active generation 0");

        Assert.Single(SdpParser.Parse(sdp).DataSection!.Candidates);
    }

    [Fact]
    public void Refuses_a_data_section_without_fingerprint()
    {
        var error = SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "a=fingerprint:", null), WebRtcFormatProblem.Missing);

        Assert.Contains("fingerprint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_data_section_without_ice_credentials()
    {
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "a=ice-ufrag:", null), WebRtcFormatProblem.Missing);
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "a=ice-pwd:", null), WebRtcFormatProblem.Missing);
    }

    [Fact]
    public void Refuses_a_ufrag_shorter_than_4_and_a_pwd_shorter_than_22()
    {
        var ufragLine = SdpAssert.LineOf(Offer, "a=ice-ufrag:");
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "a=ice-ufrag:", "a=ice-ufrag:abc"), WebRtcFormatProblem.InvalidValue, ufragLine);
        SdpAssert.Refused(SdpAssert.ReplaceLine(Offer, "a=ice-pwd:", "a=ice-pwd:GfbRbTUrY+9pC/wRURftr"), WebRtcFormatProblem.InvalidValue, ufragLine + 1);
    }
}
