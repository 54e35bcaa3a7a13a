using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>Trickled candidates as Chromium 156 and werift 0.25.2 produced them (onicecandidate, toJSON), captured 2026-11-22.</summary>
public sealed class SdpTrickleCandidateTests
{
    private const string ChromiumTrickle =
        "{\"candidate\":\"candidate:1570102793 1 udp 2113937151 91e7899d-c5c3-4fa5-a0d3-1bf0ccdc21e4.local 34726 typ host generation 0 ufrag BTMh network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"BTMh\"}";

    private const string WeriftTrickle =
        "{\"candidate\":\"candidate:b0cced2df8d168e858d349393 1 udp 2116026367 10.79.0.1 60326 typ host generation 0 ufrag 0b4c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"0b4c\"}";

    [Fact]
    public void Reads_Chromiums_mdns_candidate_and_writes_the_same_json()
    {
        var trickled = SdpTrickleCandidate.ParseJson(ChromiumTrickle);

        Assert.False(trickled.IsEndOfCandidates);
        Assert.Equal(("0", 0, "BTMh"), (trickled.SdpMid, trickled.SdpMLineIndex, trickled.UsernameFragment));
        Assert.Equal("91e7899d-c5c3-4fa5-a0d3-1bf0ccdc21e4.local", trickled.Candidate!.Address);
        Assert.Equal("BTMh", trickled.Candidate.UsernameFragment);
        Assert.Equal(ChromiumTrickle, trickled.ToJson());
    }

    [Fact]
    public void Reads_werifts_candidate_and_writes_the_same_json()
    {
        var trickled = SdpTrickleCandidate.ParseJson(WeriftTrickle);

        Assert.Equal(60326, trickled.Candidate!.Port);
        Assert.Equal(WeriftTrickle, trickled.ToJson());
    }

    [Fact]
    public void Writes_json_that_reads_back_to_the_same_candidate()
    {
        var candidate = IceCandidateLine.Parse("candidate:a+/b 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 41000 ufrag ab+/");
        var trickled = new SdpTrickleCandidate(candidate, "data", 2, "ab+/");

        Assert.Equal(trickled, SdpTrickleCandidate.ParseJson(trickled.ToJson()));
        Assert.Equal(new SdpTrickleCandidate(null, null, null, null), SdpTrickleCandidate.ParseJson(new SdpTrickleCandidate(null, null, null, null).ToJson()));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}")]
    [InlineData("{}")]
    public void Null_or_an_empty_candidate_is_end_of_candidates(string json)
    {
        var trickled = SdpTrickleCandidate.ParseJson(json);

        Assert.True(trickled.IsEndOfCandidates);
        Assert.StartsWith("{\"candidate\":\"\"", trickled.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"candidate\":", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("[1]", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("\"candidate:1 1 udp 2 10.0.0.1 9 typ host\"", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("{\"candidate\":5,\"sdpMid\":\"0\"}", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("{\"candidate\":\"candidate:1 1 udp 2 10.0.0.1 9 typ host\",\"sdpMid\":0}", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("{\"candidate\":\"candidate:1 1 udp 2 10.0.0.1 9 typ host\",\"sdpMLineIndex\":-1}", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("{\"candidate\":\"candidate:1 1 udp 2 10.0.0.1 9 typ host\",\"sdpMLineIndex\":0.5}", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("{\"candidate\":\"candidate:1 1 udp 2 10.0.0.1 9 typ host\"}", (int)WebRtcFormatProblem.Missing)]
    [InlineData("{\"candidate\":\"candidate:1 1 udp 2 10.0.0.1 9 typ nope\",\"sdpMid\":\"0\"}", (int)WebRtcFormatProblem.InvalidValue)]
    public void Refuses_bad_trickle_messages(string json, int problem)
    {
        SdpAssert.Refused(() => SdpTrickleCandidate.ParseJson(json), (WebRtcFormatProblem)problem);
    }

    [Fact]
    public void A_bad_candidate_inside_a_trickle_message_is_refused_with_the_sdp_layer_only()
    {
        var error = SdpAssert.Refused(
            () => SdpTrickleCandidate.ParseJson("{\"candidate\":\"candidate:1 1 udp 2 10.0.0.1 9 typ srflx raddr 10.0.0.2\",\"sdpMid\":\"0\"}"),
            WebRtcFormatProblem.Malformed);

        Assert.StartsWith("Sdp: raddr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_oversized_message()
    {
        SdpAssert.Refused(() => SdpTrickleCandidate.ParseJson(new string(' ', SdpTrickleCandidate.MaxJsonLength + 1)), WebRtcFormatProblem.TooLarge);
    }
}
