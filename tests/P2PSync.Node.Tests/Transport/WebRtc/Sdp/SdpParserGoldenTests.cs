using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>The real Chromium and werift descriptions of <see cref="SdpSamples"/>, field by field.</summary>
public sealed class SdpParserGoldenTests
{
    [Fact]
    public void Chromiums_offer_from_the_notes()
    {
        var description = SdpParser.Parse(SdpSamples.ChromiumOfferFromNotes);

        Assert.Equal(new SdpOrigin("-", 1738012076984189119, 2, "IP4", "127.0.0.1"), description.Origin);
        Assert.Equal("-", description.SessionName);
        Assert.Equal(["0"], Assert.Single(description.BundleGroups));
        Assert.False(description.IceLite);
        var data = Assert.Single(description.MediaSections);
        Assert.Same(data, description.DataSection);
        Assert.Equal(0, description.DataSectionIndex);
        Assert.Equal(("application", 41339, "UDP/DTLS/SCTP"), (data.Media, data.Port, data.Protocol));
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Equal("IN IP4 10.78.0.1", data.Connection);
        Assert.Equal("0", data.Mid);
        Assert.Equal(("/RtL", "GfbRbTUrY+9pC/wRURftrnCw"), (data.IceUfrag, data.IcePwd));
        Assert.True(data.SupportsTrickle);
        var fingerprint = Assert.Single(data.Fingerprints);
        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.Equal(Convert.FromHexString("D43B3509A1CC652A02348BD5885934F84E3562C9F9A13CFD71850A7C2FF10C07"), fingerprint.Digest.ToArray());
        Assert.Equal(SdpSetupRole.ActPass, data.Setup);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(262144UL, data.MaxMessageSize);
        Assert.Equal(262144UL, data.EffectiveMaxMessageSize);
        Assert.False(data.EndOfCandidates);
        var candidate = Assert.Single(data.Candidates);
        Assert.Equal(
            new IceCandidate("1644307991", 1, "udp", 2113937151, "10.78.0.1", 41339, IceCandidateType.Host)
            {
                Extensions = [new("generation", "0"), new("network-cost", "999")],
            },
            candidate);
    }

    [Fact]
    public void Chromiums_offer_with_an_mdns_host_candidate()
    {
        var data = SdpParser.Parse(SdpSamples.ChromiumOfferMdns).DataSection!;

        var candidate = Assert.Single(data.Candidates);
        Assert.Equal("82b29f4a-9ba4-4028-9bd6-7218ac8dd3cb.local", candidate.Address);
        Assert.Equal(35730, candidate.Port);
        Assert.Equal(9, data.Port);
        Assert.Equal("IN IP4 0.0.0.0", data.Connection);
    }

    [Fact]
    public void Chromiums_answer_without_max_message_size_means_65536()
    {
        var data = SdpParser.Parse(SdpSamples.ChromiumAnswerToWerift).DataSection!;

        Assert.Equal(SdpSetupRole.Active, data.Setup);
        Assert.Null(data.MaxMessageSize);
        Assert.Equal(65536UL, data.EffectiveMaxMessageSize);
    }

    [Fact]
    public void Werifts_offer_with_ufrag_extensions_and_end_of_candidates()
    {
        var description = SdpParser.Parse(SdpSamples.WeriftOffer);
        var data = description.DataSection!;

        Assert.Equal(14901877UL, description.Origin.SessionId);
        Assert.Equal(0UL, description.Origin.SessionVersion);
        Assert.Equal(2, data.Candidates.Count);
        Assert.All(data.Candidates, c => Assert.Equal("f73a", c.UsernameFragment));
        Assert.Equal(["10.79.0.1", "10.79.0.2"], data.Candidates.Select(c => c.Address));
        Assert.True(data.EndOfCandidates);
        Assert.Equal(("f73a", "c99860c2ec03e22cb8803e"), (data.IceUfrag, data.IcePwd));
        Assert.Equal(65536UL, data.MaxMessageSize);
    }

    [Fact]
    public void Werifts_answer_with_max_message_size_0_means_no_limit()
    {
        var data = SdpParser.Parse(SdpSamples.WeriftAnswer).DataSection!;

        Assert.Equal(0UL, data.MaxMessageSize);
        Assert.Null(data.EffectiveMaxMessageSize);
        Assert.Equal(SdpSetupRole.Active, data.Setup);
    }

    [Fact]
    public void Line_feeds_alone_parse_the_same_as_crlf()
    {
        foreach (var sample in SdpSamples.All)
        {
            var crlf = SdpParser.Parse(sample);
            var lf = SdpParser.Parse(sample.Replace("\r\n", "\n", StringComparison.Ordinal));
            var noFinalNewline = SdpParser.Parse(sample.TrimEnd());

            Assert.Equal(SdpWriter.Write(crlf), SdpWriter.Write(lf));
            Assert.Equal(SdpWriter.Write(crlf), SdpWriter.Write(noFinalNewline));
        }
    }

    [Fact]
    public void Writing_a_parsed_sample_keeps_every_modelled_line_and_drops_the_unknown_ones()
    {
        foreach (var sample in SdpSamples.All)
        {
            var written = SdpWriter.Write(SdpParser.Parse(sample));
            var writtenLines = written.Split("\r\n").ToHashSet();
            var sampleLines = sample.Split("\r\n").Where(l => l.Length > 0).ToList();

            Assert.EndsWith("\r\n", written, StringComparison.Ordinal);
            Assert.DoesNotContain("a=extmap-allow-mixed", writtenLines);
            Assert.DoesNotContain("a=msid-semantic:WMS *", writtenLines);
            foreach (var line in sampleLines.Where(l => !l.StartsWith("a=extmap", StringComparison.Ordinal) && !l.StartsWith("a=msid-semantic", StringComparison.Ordinal)))
            {
                Assert.Contains(line, writtenLines);
            }

            // Only the order differs (candidates move after the DTLS lines), so the writer is a fixpoint.
            Assert.Equal(written, SdpWriter.Write(SdpParser.Parse(written)));
        }
    }
}
