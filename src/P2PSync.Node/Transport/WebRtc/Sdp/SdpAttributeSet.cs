using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// The attributes the parser collects at one level (the session part or one m= section) before
/// it merges them. Mutable on purpose and private to one parse; single-valued attributes refuse a
/// second occurrence so that two disagreeing values never have to be chosen between.
/// </summary>
internal sealed class SdpAttributeSet
{
    public string? Connection { get; private set; }

    public string? Mid { get; private set; }

    public string? IceUfrag { get; private set; }

    public string? IcePwd { get; private set; }

    public List<string>? IceOptions { get; private set; }

    public List<DtlsFingerprint> Fingerprints { get; } = [];

    public SdpSetupRole? Setup { get; private set; }

    public int? SctpPort { get; set; }

    public ulong? MaxMessageSize { get; private set; }

    public List<IceCandidate> Candidates { get; } = [];

    public bool EndOfCandidates { get; set; }

    public void SetConnection(string value) => Connection = Once(Connection, value, "c=");

    public void SetMid(string value) => Mid = Once(Mid, RequireToken(value, "a=mid"), "a=mid");

    public void SetIceUfrag(string value) => IceUfrag = Once(IceUfrag, RequireIceChars(value, 4, "a=ice-ufrag"), "a=ice-ufrag");

    public void SetIcePwd(string value) => IcePwd = Once(IcePwd, RequireIceChars(value, 22, "a=ice-pwd"), "a=ice-pwd");

    public void SetIceOptions(string value)
    {
        var tags = value.Split(' ');
        if (tags.Any(t => !SdpGrammar.IsIceChars(t)))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "a=ice-options is a space-separated list of ice-char tags");
        }

        IceOptions = Once(IceOptions, [.. tags], "a=ice-options");
    }

    public void SetSetup(string value) => Setup = Once(Setup, SdpSetupRoles.Parse(value), "a=setup");

    public void SetSctpPort(string value)
    {
        var port = (int)SdpGrammar.ParseDecimal(value, ushort.MaxValue, "a=sctp-port");
        if (port == 0)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, "a=sctp-port 0 is not a port");
        }

        SctpPort = Once(SctpPort, port, "a=sctp-port");
    }

    public void SetMaxMessageSize(string value) =>
        MaxMessageSize = Once(MaxMessageSize, SdpGrammar.ParseDecimal(value, ulong.MaxValue, "a=max-message-size"), "a=max-message-size");

    private static T Once<T>(T? current, T value, string what)
    {
        if (current is not null)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"{what} appears twice at the same level");
        }

        return value;
    }

    private static string RequireToken(string value, string what) =>
        SdpGrammar.IsToken(value)
            ? value
            : throw SdpFormat.Error(WebRtcFormatProblem.Malformed, $"{what} '{SdpGrammar.Shorten(value)}' is not a token");

    private static string RequireIceChars(string value, int minLength, string what)
    {
        // RFC 8839 §5.4: ufrag 4..256, pwd 22..256 ice-chars; Chromium refuses shorter ones too (notes §5.2).
        if (value.Length < minLength || value.Length > 256 || !SdpGrammar.IsIceChars(value))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"{what} must be {minLength} to 256 ice-chars (letters, digits, + and /), got {value.Length} characters");
        }

        return value;
    }
}
