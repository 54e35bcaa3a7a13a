using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsRoleNegotiationTests
{
    [Theory]
    [InlineData("active", "Server")]
    [InlineData("passive", "Client")]
    [InlineData(null, "Server")] // RFC 4145 default for a missing setup is active; Chromium accepts such answers
    public void The_offerer_takes_the_role_the_answer_leaves_it(string? answerSetup, string expectedRole)
    {
        var setup = answerSetup is null ? (DtlsSetup?)null : DtlsRoleNegotiation.ParseSetup(answerSetup);
        Assert.Equal(Enum.Parse<DtlsRole>(expectedRole), DtlsRoleNegotiation.RoleOfOfferer(setup));
    }

    [Fact]
    public void An_answer_saying_actpass_is_refused()
    {
        var refusal = Assert.Throws<WebRtcFormatException>(() => DtlsRoleNegotiation.RoleOfOfferer(DtlsSetup.ActPass));
        Assert.Equal(WebRtcFormatProblem.InvalidValue, refusal.Problem);
    }

    [Theory]
    [InlineData("actpass", "active", "Client")] // what Chromium and werift offer; we answer like them
    [InlineData(null, "active", "Client")]
    [InlineData("passive", "active", "Client")]
    [InlineData("active", "passive", "Server")]
    public void The_answerer_picks_active_unless_the_offerer_insists(string? offerSetup, string expectedAnswer, string expectedRole)
    {
        var offer = offerSetup is null ? (DtlsSetup?)null : DtlsRoleNegotiation.ParseSetup(offerSetup);
        var answer = DtlsRoleNegotiation.AnswerTo(offer);

        Assert.Equal(expectedAnswer, DtlsRoleNegotiation.Format(answer));
        Assert.Equal(Enum.Parse<DtlsRole>(expectedRole), DtlsRoleNegotiation.RoleOfAnswerer(answer));
    }

    [Theory]
    [InlineData(" ACTPASS ", "actpass")]
    [InlineData("Active", "active")]
    public void Setup_values_are_read_without_regard_to_case_or_surrounding_spaces(string text, string expected)
    {
        Assert.Equal(expected, DtlsRoleNegotiation.Format(DtlsRoleNegotiation.ParseSetup(text)));
    }

    [Theory]
    [InlineData("holdconn")]
    [InlineData("")]
    [InlineData("act pass")]
    public void Unknown_setup_values_are_refused(string text)
    {
        var refusal = Assert.Throws<WebRtcFormatException>(() => DtlsRoleNegotiation.ParseSetup(text));
        Assert.Equal(WebRtcLayer.Dtls, refusal.Layer);
        Assert.Equal(WebRtcFormatProblem.InvalidValue, refusal.Problem);
    }
}
