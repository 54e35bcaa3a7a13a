using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// The one reader and writer of the candidate attribute of RFC 8839 §5.1, for a=candidate lines in
/// SDP and for trickled candidates (the browser's RTCIceCandidateInit.candidate, the same text without "a="):
/// <code>
/// candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ &lt;type&gt;
///           [raddr &lt;address&gt; rport &lt;port&gt;] *(&lt;extension name&gt; &lt;extension value&gt;)
/// </code>
/// TCP candidates parse (the agent and the SDP parser ignore them). Any grammar error is a
/// <see cref="WebRtcFormatException"/> of layer Ice; the SDP package re-tags it with its own layer
/// and the line number.
/// </summary>
internal static class IceCandidateLine
{
    /// <summary>Far above Chromium's ~130 characters; a longer line is an attempt to make us allocate.</summary>
    public const int MaxLineLength = 1024;

    /// <summary>Browsers write 2 to 4 extensions; more is not a candidate we want to keep.</summary>
    public const int MaxExtensionPairs = 32;

    private const string Prefix = "candidate:";

    /// <summary>
    /// True for the trickle form of end-of-candidates: a null or empty candidate string (what
    /// browsers put in RTCIceCandidateInit.candidate when gathering is over).
    /// </summary>
    public static bool IsEndOfCandidates(string? trickled) => string.IsNullOrEmpty(trickled);

    /// <summary>Parses "candidate:..." or "a=candidate:...".</summary>
    public static IceCandidate Parse(string line)
    {
        CheckLength(line);
        string text = line.StartsWith("a=", StringComparison.Ordinal) ? line[2..] : line;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw Problem(WebRtcFormatProblem.Malformed, "a candidate line starts with 'candidate:'");
        }

        return ParseValue(text[Prefix.Length..]);
    }

    /// <summary>Parses the attribute value after "candidate:" (what the SDP parser has in hand).</summary>
    public static IceCandidate ParseValue(string value)
    {
        CheckLength(value);

        // Strict single spaces: a tolerant split would accept lines no other stack writes and that
        // we could not write back the same.
        string[] fields = value.Split(' ');
        if (fields.Any(f => f.Length == 0))
        {
            throw Problem(WebRtcFormatProblem.Malformed, "candidate fields are separated by single spaces");
        }

        if (fields.Length < 8)
        {
            throw Problem(WebRtcFormatProblem.Malformed, $"a candidate has at least 8 fields, this one {fields.Length}");
        }

        string foundation = fields[0];
        if (foundation.Length > 32 || !IsIceChars(foundation))
        {
            throw Problem(WebRtcFormatProblem.InvalidValue, $"candidate foundation '{Shorten(foundation)}' is not 1 to 32 ice-chars");
        }

        int component = (int)ParseNumber(fields[1], 1, 256, "candidate component");
        string protocol = fields[2].ToLowerInvariant();
        if (!IsToken(protocol))
        {
            throw Problem(WebRtcFormatProblem.Malformed, $"candidate transport '{Shorten(fields[2])}' is not a token");
        }

        // RFC 8445 §5.1.2 priorities start at 1; 0 would also sort below every real pair.
        uint priority = (uint)ParseNumber(fields[3], 1, uint.MaxValue, "candidate priority");
        string address = ParseAddress(fields[4], "candidate address");
        int port = (int)ParseNumber(fields[5], 0, ushort.MaxValue, "candidate port");
        if (fields[6] != "typ")
        {
            throw Problem(WebRtcFormatProblem.Malformed, $"the seventh candidate field must be 'typ', not '{Shorten(fields[6])}'");
        }

        IceCandidateType type = ParseType(fields[7]);
        string? relatedAddress = null;
        int? relatedPort = null;
        int next = 8;
        if (next < fields.Length && fields[next] == "raddr")
        {
            // Every stack writes raddr and rport as a pair; half a pair cannot be written back.
            if (next + 3 >= fields.Length || fields[next + 2] != "rport")
            {
                throw Problem(WebRtcFormatProblem.Malformed, "raddr must be followed by an address, rport and a port");
            }

            relatedAddress = ParseAddress(fields[next + 1], "candidate raddr");
            relatedPort = (int)ParseNumber(fields[next + 3], 0, ushort.MaxValue, "candidate rport");
            next += 4;
        }
        else if (next < fields.Length && fields[next] == "rport")
        {
            throw Problem(WebRtcFormatProblem.Malformed, "rport without raddr");
        }

        int rest = fields.Length - next;
        if (rest % 2 != 0)
        {
            throw Problem(WebRtcFormatProblem.Malformed, $"candidate extension '{Shorten(fields[^1])}' has no value");
        }

        if (rest / 2 > MaxExtensionPairs)
        {
            throw Problem(WebRtcFormatProblem.TooLarge, $"a candidate has {rest / 2} extensions; at most {MaxExtensionPairs}");
        }

        var extensions = new List<KeyValuePair<string, string>>(rest / 2);
        for (; next < fields.Length; next += 2)
        {
            // RFC 8839: the name is a token, the value any visible ASCII (a ufrag value may hold '/', which no token allows).
            if (!IsToken(fields[next]) || !fields[next + 1].All(c => c is > ' ' and <= '~'))
            {
                throw Problem(WebRtcFormatProblem.Malformed, $"candidate extension '{Shorten(fields[next])}' is not a token and a visible value");
            }

            extensions.Add(new KeyValuePair<string, string>(fields[next], fields[next + 1]));
        }

        return new IceCandidate(foundation, component, protocol, priority, address, port, type, relatedAddress, relatedPort)
        {
            Extensions = extensions,
        };
    }

    /// <summary>"candidate:..." without "a=" (the trickle form; the SDP writer adds "a=").</summary>
    public static string Format(IceCandidate candidate)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Prefix}{candidate.Foundation} {candidate.Component} {candidate.Protocol} {candidate.Priority} {candidate.Address} {candidate.Port} typ {TypeToken(candidate.Type)}");
        if (candidate.RelatedAddress is { } relatedAddress && candidate.RelatedPort is { } relatedPort)
        {
            text.Append(CultureInfo.InvariantCulture, $" raddr {relatedAddress} rport {relatedPort}");
        }

        foreach ((string name, string value) in candidate.Extensions)
        {
            text.Append(' ').Append(name).Append(' ').Append(value);
        }

        return text.ToString();
    }

    public static string TypeToken(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        IceCandidateType.Relay => "relay",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown candidate type"),
    };

    /// <summary>ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1).</summary>
    internal static bool IsIceChars(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');

    private static IceCandidateType ParseType(string text) => text switch
    {
        "host" => IceCandidateType.Host,
        "srflx" => IceCandidateType.ServerReflexive,
        "prflx" => IceCandidateType.PeerReflexive,
        "relay" => IceCandidateType.Relay,
        _ => throw Problem(WebRtcFormatProblem.InvalidValue, $"candidate type '{Shorten(text)}' is not host, srflx, prflx or relay"),
    };

    private static void CheckLength(string text)
    {
        if (text.Length > MaxLineLength)
        {
            throw Problem(WebRtcFormatProblem.TooLarge, $"candidate line of {text.Length} characters; at most {MaxLineLength}");
        }
    }

    /// <summary>
    /// An IPv4 or IPv6 literal, or a DNS name (letters, digits, '-', '_', '.') such as Chromium's
    /// "&lt;uuid&gt;.local". A name must hold a letter so that "12345" (an inet_aton shorthand) is refused.
    /// </summary>
    private static string ParseAddress(string field, string what)
    {
        if (IsIpLiteral(field))
        {
            return field;
        }

        bool hostname = field.Length <= 253
            && field.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && !field.StartsWith('.')
            && field.Any(char.IsAsciiLetter);
        if (!hostname)
        {
            throw Problem(WebRtcFormatProblem.InvalidValue, $"{what} '{Shorten(field)}' is neither an IP address nor a host name");
        }

        return field;
    }

    /// <summary>
    /// IPAddress.TryParse also takes "12345" or "1.2" (old inet_aton shorthands) and resolves IPv6
    /// zone names against this host's interfaces; SDP allows only dotted-quad IPv4 and IPv6 literals,
    /// and a peer's zone ("fe80::1%eth0") names the peer's interface, so check the shape ourselves.
    /// </summary>
    private static bool IsIpLiteral(string field)
    {
        int zone = field.IndexOf('%', StringComparison.Ordinal);
        if (zone >= 0)
        {
            string zoneName = field[(zone + 1)..];
            string host = field[..zone];
            return zoneName.Length is >= 1 and <= 32
                && zoneName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                && host.Contains(':', StringComparison.Ordinal)
                && IPAddress.TryParse(host, out IPAddress? scoped)
                && scoped.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (!IPAddress.TryParse(field, out IPAddress? address))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return field.Contains(':', StringComparison.Ordinal);
        }

        string[] parts = field.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }

    private static ulong ParseNumber(string field, ulong min, ulong max, string what)
    {
        if (field.Length is < 1 or > 10 || !field.All(char.IsAsciiDigit)
            || !ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value < min || value > max)
        {
            throw Problem(WebRtcFormatProblem.InvalidValue, $"{what} '{Shorten(field)}' is not a decimal number in {min}..{max}");
        }

        return value;
    }

    /// <summary>token (RFC 8866 §9): visible ASCII except the separators.</summary>
    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".IndexOf(c) < 0);

    /// <summary>Peer text quoted in an error message is cut short so a hostile line cannot bloat logs.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static WebRtcFormatException Problem(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Ice, problem, message);
}
