using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>The a=setup value (<see cref="SdpSetupRoles"/>) and the DTLS role it settles (<see cref="SetupNegotiation"/>).</summary>
public sealed class SetupNegotiationTests
{
    [Theory]
    [InlineData("active", "Server")]
    [InlineData("passive", "Client")]
    [InlineData(null, "Server")] // RFC 4145 default for a missing setup is active; Chromium accepts such answers
    public void The_offerer_takes_the_role_the_answer_leaves_it(string? answerSetup, string expectedRole)
    {
        var setup = answerSetup is null ? (SdpSetupRole?)null : SdpSetupRoles.Parse(answerSetup);
        Assert.Equal(Enum.Parse<DtlsRole>(expectedRole), SetupNegotiation.RoleOfOfferer(setup));
    }

    [Theory]
    [InlineData("actpass")]
    [InlineData("holdconn")]
    public void An_answer_that_leaves_the_roles_open_is_refused(string answerSetup)
    {
        var setup = SdpSetupRoles.Parse(answerSetup);
        var refusal = Assert.Throws<WebRtcFormatException>(() => SetupNegotiation.RoleOfOfferer(setup));
        Assert.Equal((WebRtcLayer.Sdp, WebRtcFormatProblem.InvalidValue), (refusal.Layer, refusal.Problem));
    }

    [Theory]
    [InlineData("actpass", "active", "Client")] // what Chromium and werift offer; we answer like them
    [InlineData(null, "active", "Client")]
    [InlineData("passive", "active", "Client")]
    [InlineData("active", "passive", "Server")]
    public void The_answerer_picks_active_unless_the_offerer_insists(string? offerSetup, string expectedAnswer, string expectedRole)
    {
        var offer = offerSetup is null ? (SdpSetupRole?)null : SdpSetupRoles.Parse(offerSetup);
        var answer = SetupNegotiation.AnswerTo(offer);

        Assert.Equal(expectedAnswer, answer.ToText());
        Assert.Equal(Enum.Parse<DtlsRole>(expectedRole), SetupNegotiation.RoleOfAnswerer(answer));
    }

    [Fact]
    public void A_holdconn_offer_parses_but_is_never_answered()
    {
        Assert.Equal(SdpSetupRole.HoldConn, SdpSetupRoles.Parse("holdconn"));
        var refusal = Assert.Throws<WebRtcFormatException>(() => SetupNegotiation.AnswerTo(SdpSetupRole.HoldConn));
        Assert.Equal((WebRtcLayer.Sdp, WebRtcFormatProblem.Unsupported), (refusal.Layer, refusal.Problem));
        Assert.Throws<ArgumentException>(() => SetupNegotiation.RoleOfAnswerer(SdpSetupRole.ActPass));
        Assert.Throws<ArgumentException>(() => SetupNegotiation.RoleOfAnswerer(SdpSetupRole.HoldConn));
    }

    [Theory]
    [InlineData("ACTPASS", "actpass")]
    [InlineData("Active", "active")]
    [InlineData("passive", "passive")]
    [InlineData("HoldConn", "holdconn")]
    public void Setup_values_are_read_without_regard_to_case_and_written_in_lower_case(string text, string expected)
    {
        Assert.Equal(expected, SdpSetupRoles.Parse(text).ToText());
    }

    [Theory]
    [InlineData(" ACTPASS ")] // the Dtls side used to trim; SDP's grammar has no spaces there
    [InlineData("")]
    [InlineData("act pass")]
    [InlineData("both")]
    [InlineData("act\u0131ve")] // dotless i upper-cases to I; only ASCII letters are folded
    [InlineData("activeactive")]
    public void Unknown_setup_values_are_refused(string text)
    {
        var refusal = Assert.Throws<WebRtcFormatException>(() => SdpSetupRoles.Parse(text));
        Assert.Equal((WebRtcLayer.Sdp, WebRtcFormatProblem.InvalidValue), (refusal.Layer, refusal.Problem));
    }
}
