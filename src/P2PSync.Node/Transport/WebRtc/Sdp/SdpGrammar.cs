using System.Globalization;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>The small character classes and number rules of RFC 8866 §9 and RFC 8839 §5 that the parser checks.</summary>
internal static class SdpGrammar
{
    /// <summary>ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1): ufrag, pwd, foundation, ice options.</summary>
    public static bool IsIceChars(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/');

    /// <summary>token (RFC 8866 §9): visible ASCII except the separators; used for mid, media, proto parts, names.</summary>
    public static bool IsToken(string value) => value.Length > 0 && value.All(IsTokenChar);

    /// <summary>A decimal number with at most <paramref name="maxValue"/>; no sign, no spaces, no leading '+'.</summary>
    public static bool TryParseDecimal(string text, ulong maxValue, out ulong value)
    {
        value = 0;
        return text.Length is > 0 and <= 20
            && text.All(char.IsAsciiDigit)
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value <= maxValue;
    }

    /// <summary>Parses a decimal field or throws a refusal naming it.</summary>
    public static ulong ParseDecimal(string text, ulong maxValue, string what)
    {
        if (!TryParseDecimal(text, maxValue, out var value))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"{what} '{Shorten(text)}' is not a decimal number up to {maxValue}");
        }

        return value;
    }

    /// <summary>A hostname or IP literal as the c= line carries it (IPv4, IPv6, FQDN such as uuid.local).</summary>
    public static bool IsAddress(string value) =>
        value.Length is > 0 and <= 255
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_' or '%');

    /// <summary>Peer text quoted in an error message is cut short so a hostile line cannot bloat logs.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static bool IsTokenChar(char c) =>
        c is '!' or (>= '#' and <= '\'') or '*' or '+' or '-' or '.' or (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= '^' and <= '~');
}
