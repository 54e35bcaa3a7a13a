using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// Turns the <c>a=setup</c> values of an offer/answer exchange into a <see cref="DtlsRole"/>
/// (RFC 8842 §5, notes §2.3). We always offer <c>actpass</c> and, when answering, pick <c>active</c>
/// whenever the offer allows it: that makes us the DTLS client exactly as Chromium and werift are as
/// answerers. <c>holdconn</c> parses (it is a legal value) but never settles a role.
/// </summary>
internal static class SetupNegotiation
{
    /// <summary>
    /// The setup value we answer with, given the remote offer's (missing means <c>actpass</c>).
    /// We take <c>active</c> unless the offerer insisted on being active itself.
    /// </summary>
    /// <exception cref="WebRtcFormatException">The offer said <c>holdconn</c> (Unsupported).</exception>
    public static SdpSetupRole AnswerTo(SdpSetupRole? remoteOfferSetup) => remoteOfferSetup switch
    {
        null or SdpSetupRole.ActPass or SdpSetupRole.Passive => SdpSetupRole.Active,
        SdpSetupRole.Active => SdpSetupRole.Passive,
        _ => throw SdpFormat.Error(WebRtcFormatProblem.Unsupported, "the offer says a=setup:holdconn; we cannot answer a connection that is put on hold"),
    };

    /// <summary>Our role as the answerer, from the setup value we answered with.</summary>
    public static DtlsRole RoleOfAnswerer(SdpSetupRole ourAnswerSetup) => ourAnswerSetup switch
    {
        SdpSetupRole.Active => DtlsRole.Client,
        SdpSetupRole.Passive => DtlsRole.Server,
        _ => throw new ArgumentException($"an answer cannot say {ourAnswerSetup.ToText()}", nameof(ourAnswerSetup)),
    };

    /// <summary>
    /// Our role as the offerer once the remote answer arrives. A missing setup in an answer means
    /// <c>active</c> (RFC 4145's default, and Chromium accepts such answers); <c>actpass</c> or
    /// <c>holdconn</c> in an answer leaves the roles undecided, so it is refused.
    /// </summary>
    /// <exception cref="WebRtcFormatException">The answer said actpass or holdconn (InvalidValue).</exception>
    public static DtlsRole RoleOfOfferer(SdpSetupRole? remoteAnswerSetup) => (remoteAnswerSetup ?? SdpSetupRole.Active) switch
    {
        SdpSetupRole.Active => DtlsRole.Server,
        SdpSetupRole.Passive => DtlsRole.Client,
        var other => throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"an answer must say a=setup:active or passive, not {other.ToText()}"),
    };
}
