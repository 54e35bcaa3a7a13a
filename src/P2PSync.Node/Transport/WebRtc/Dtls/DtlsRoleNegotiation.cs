namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Turns the <c>a=setup</c> values of an offer/answer exchange into a <see cref="DtlsRole"/>
/// (RFC 8842 §5). We always offer <c>actpass</c> and, when answering, pick <c>active</c> whenever
/// the offer allows it: that makes us the DTLS client exactly as Chromium and werift do as answerers.
/// </summary>
internal static class DtlsRoleNegotiation
{
    /// <summary>Reads an <c>a=setup</c> value (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="WebRtcFormatException">Anything but active, passive or actpass.</exception>
    public static DtlsSetup ParseSetup(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "active" => DtlsSetup.Active,
            "passive" => DtlsSetup.Passive,
            "actpass" => DtlsSetup.ActPass,
            _ => throw new WebRtcFormatException(
                WebRtcLayer.Dtls, WebRtcFormatProblem.InvalidValue, $"a=setup value '{Shorten(value)}' is not active, passive or actpass"),
        };
    }

    /// <summary>The text to put after <c>a=setup:</c>.</summary>
    public static string Format(DtlsSetup setup) => setup switch
    {
        DtlsSetup.Active => "active",
        DtlsSetup.Passive => "passive",
        DtlsSetup.ActPass => "actpass",
        _ => throw new ArgumentOutOfRangeException(nameof(setup), setup, "unknown setup value"),
    };

    /// <summary>
    /// Our role as the offerer once the remote answer arrives. A missing setup in an answer means
    /// <c>active</c> (RFC 4145's default, and Chromium accepts such answers); <c>actpass</c> in an
    /// answer is a protocol error because it leaves the roles undecided.
    /// </summary>
    /// <exception cref="WebRtcFormatException">The answer said <c>actpass</c>.</exception>
    public static DtlsRole RoleOfOfferer(DtlsSetup? remoteAnswerSetup) => (remoteAnswerSetup ?? DtlsSetup.Active) switch
    {
        DtlsSetup.Active => DtlsRole.Server,
        DtlsSetup.Passive => DtlsRole.Client,
        _ => throw new WebRtcFormatException(
            WebRtcLayer.Dtls, WebRtcFormatProblem.InvalidValue, "an answer must say a=setup:active or passive, not actpass"),
    };

    /// <summary>
    /// The setup value we answer with, given the remote offer's (missing means <c>actpass</c>).
    /// We take <c>active</c> unless the offerer insisted on being active itself.
    /// </summary>
    public static DtlsSetup AnswerTo(DtlsSetup? remoteOfferSetup) =>
        (remoteOfferSetup ?? DtlsSetup.ActPass) == DtlsSetup.Active ? DtlsSetup.Passive : DtlsSetup.Active;

    /// <summary>Our role as the answerer, from the setup value we answered with.</summary>
    public static DtlsRole RoleOfAnswerer(DtlsSetup ourAnswerSetup) => ourAnswerSetup switch
    {
        DtlsSetup.Active => DtlsRole.Client,
        DtlsSetup.Passive => DtlsRole.Server,
        _ => throw new ArgumentException("an answer cannot say actpass", nameof(ourAnswerSetup)),
    };

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
