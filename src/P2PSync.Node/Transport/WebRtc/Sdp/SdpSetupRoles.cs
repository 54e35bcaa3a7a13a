namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>Text form of <see cref="SdpSetupRole"/>.</summary>
internal static class SdpSetupRoles
{
    /// <summary>
    /// Reads an <c>a=setup</c> value. Case-insensitive: RFC 4145 §4 defines the values as quoted ABNF
    /// strings, and RFC 5234 §2.3 makes those case-insensitive (RFC 8842 keeps 4145's grammar). Only
    /// ASCII letters count, so a dotless ı cannot sneak in through case folding. No surrounding
    /// spaces: the grammar has none, and the parser hands us exactly what follows the colon.
    /// </summary>
    /// <exception cref="WebRtcFormatException">Anything but actpass, active, passive or holdconn.</exception>
    public static SdpSetupRole Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var word = value.Length <= 8 && value.All(char.IsAsciiLetter) ? value.ToLowerInvariant() : null;
        return word switch
        {
            "actpass" => SdpSetupRole.ActPass,
            "active" => SdpSetupRole.Active,
            "passive" => SdpSetupRole.Passive,
            "holdconn" => SdpSetupRole.HoldConn,
            _ => throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"a=setup value '{SdpGrammar.Shorten(value)}' is not actpass, active, passive or holdconn"),
        };
    }

    /// <summary>The text after <c>a=setup:</c>, always lower case as RFC 4145 writes it.</summary>
    public static string ToText(this SdpSetupRole role) => role switch
    {
        SdpSetupRole.ActPass => "actpass",
        SdpSetupRole.Active => "active",
        SdpSetupRole.Passive => "passive",
        SdpSetupRole.HoldConn => "holdconn",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown setup role"),
    };
}
