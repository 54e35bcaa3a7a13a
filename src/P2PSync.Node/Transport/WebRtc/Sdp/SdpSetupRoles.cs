namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>Text form of <see cref="SdpSetupRole"/>.</summary>
internal static class SdpSetupRoles
{
    public static SdpSetupRole Parse(string value) => value switch
    {
        "actpass" => SdpSetupRole.ActPass,
        "active" => SdpSetupRole.Active,
        "passive" => SdpSetupRole.Passive,
        "holdconn" => SdpSetupRole.HoldConn,
        _ => throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"a=setup value '{SdpGrammar.Shorten(value)}' is not actpass, active, passive or holdconn"),
    };

    public static string ToText(this SdpSetupRole role) => role switch
    {
        SdpSetupRole.ActPass => "actpass",
        SdpSetupRole.Active => "active",
        SdpSetupRole.Passive => "passive",
        SdpSetupRole.HoldConn => "holdconn",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown setup role"),
    };
}
