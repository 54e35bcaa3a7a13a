using System.Text;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// Parses an SDP offer or answer of a data-only session (RFC 8866 with RFC 8839, 8841, 8842, 8843).
/// Lines are <c>&lt;letter&gt;=&lt;value&gt;</c>, ended by CRLF or a bare LF:
/// <code>
/// v=0                                   exactly, first line
/// o=- 1738012076984189119 2 IN IP4 127.0.0.1
/// s=-
/// t=0 0
/// a=...                                 session attributes (group, ice-*, fingerprint, setup, ...)
/// m=application 9 UDP/DTLS/SCTP webrtc-datachannel
/// c=IN IP4 0.0.0.0
/// a=...                                 media attributes, override the session ones
/// </code>
/// Unknown <c>a=</c> attributes are skipped (and so can never be echoed); every refusal is a
/// <see cref="WebRtcFormatException"/> of layer SDP whose message starts with the line number.
/// </summary>
internal static class SdpParser
{
    /// <summary>Notes §5.3: a data-only description is under 2 KiB; 64 KiB leaves room for many candidates.</summary>
    public const int MaxBytes = 64 * 1024;

    public const int MaxLineLength = 4096;

    /// <summary>Candidates per section; more is an attempt to make us pair forever.</summary>
    public const int MaxCandidates = 64;

    private const string SessionOnlyTypes = "vostuepzr";
    private const string KnownTypes = "vosiuepcbtrzkam";

    public static SessionDescription Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes || Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.TooLarge, $"the description is over {MaxBytes} bytes");
        }

        var lines = SplitLines(text);
        var state = new SdpParseState();
        for (var i = 0; i < lines.Count; i++)
        {
            try
            {
                ParseLine(lines[i], i, state);
            }
            catch (WebRtcFormatException e)
            {
                throw SdpFormat.AtLine(e, i + 1);
            }
        }

        return Finish(state, lines.Count);
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var lineEnd = end < 0 ? text.Length : end;
            var line = text[start..lineEnd];
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            lines.Add(line);
            start = end < 0 ? text.Length : end + 1;
        }

        // Blank lines at the very end are what a trailing newline or a careless copy leaves; drop them.
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static void ParseLine(string line, int index, SdpParseState state)
    {
        if (line.Length > MaxLineLength)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.TooLarge, $"the line is {line.Length} characters; at most {MaxLineLength}");
        }

        if (line.Length < 2 || line[1] != '=' || !KnownTypes.Contains(line[0]))
        {
            throw SdpFormat.Error(
                line.Length >= 2 && line[1] == '=' && char.IsAsciiLetterLower(line[0]) ? WebRtcFormatProblem.Unsupported : WebRtcFormatProblem.Malformed,
                $"'{SdpGrammar.Shorten(line)}' is not a known '<letter>=<value>' line");
        }

        if (line.Any(char.IsControl))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "control characters (such as a bare CR) inside a line");
        }

        var type = line[0];
        var value = line[2..];
        if (index == 0)
        {
            if (type != 'v')
            {
                throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "the first line must be v=0");
            }

            if (value != "0")
            {
                throw SdpFormat.Error(WebRtcFormatProblem.Unsupported, $"SDP version '{SdpGrammar.Shorten(value)}' (only 0 exists)");
            }

            state.SawVersion = true;
            return;
        }

        if (type == 'v')
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "v= appears again (one description per text)");
        }

        if (type == 'm')
        {
            state.StartSection(ParseMediaLine(value));
            return;
        }

        if (state.CurrentSection is not null && SessionOnlyTypes.Contains(type))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, $"{type}= belongs to the session part, not to an m= section");
        }

        switch (type)
        {
            case 'o':
                state.Origin = state.Origin is null ? ParseOrigin(value) : throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, "o= appears twice");
                break;
            case 's':
                state.SessionName = state.SessionName is null ? value : throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, "s= appears twice");
                break;
            case 't':
                ParseTiming(value);
                state.SawTiming = true;
                break;
            case 'c':
                state.CurrentAttributes.SetConnection(ParseConnection(value));
                break;
            case 'a':
                ParseAttribute(value, state);
                break;
            default:
                // i, u, e, p, b, r, z, k: informational or bandwidth lines that change nothing for data channels.
                break;
        }
    }

    private static void ParseAttribute(string value, SdpParseState state)
    {
        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        var argument = colon < 0 ? null : value[(colon + 1)..];
        var attributes = state.CurrentAttributes;
        var atSession = state.CurrentSection is null;
        switch (name)
        {
            case "group":
                RequireLevel(atSession, true, name);
                ParseGroup(Argument(name, argument), state);
                break;
            case "ice-lite":
                RequireLevel(atSession, true, name);
                state.IceLite = true;
                break;
            case "ice-ufrag":
                attributes.SetIceUfrag(Argument(name, argument));
                break;
            case "ice-pwd":
                attributes.SetIcePwd(Argument(name, argument));
                break;
            case "ice-options":
                attributes.SetIceOptions(Argument(name, argument));
                break;
            case "fingerprint":
                attributes.Fingerprints.Add(DtlsFingerprint.Parse(Argument(name, argument)));
                break;
            case "setup":
                attributes.SetSetup(Argument(name, argument));
                break;
            case "end-of-candidates":
                attributes.EndOfCandidates = true;
                break;
            case "mid":
                RequireLevel(atSession, false, name);
                attributes.SetMid(Argument(name, argument));
                break;
            case "sctp-port":
                RequireLevel(atSession, false, name);
                attributes.SetSctpPort(Argument(name, argument));
                break;
            case "max-message-size":
                RequireLevel(atSession, false, name);
                attributes.SetMaxMessageSize(Argument(name, argument));
                break;
            case "sctpmap":
                RequireLevel(atSession, false, name);
                ParseSctpMap(Argument(name, argument), state);
                break;
            case "candidate":
                RequireLevel(atSession, false, name);
                AddCandidate(IceCandidateLine.ParseValue(Argument(name, argument)), attributes);
                break;
            default:
                // Unknown attributes are ignored by RFC 8866 §5.13 and never echoed (notes §5.3).
                break;
        }
    }

    private static void AddCandidate(IceCandidate candidate, SdpAttributeSet attributes)
    {
        if (!candidate.IsUdp)
        {
            // We only speak UDP; a TCP candidate is legal SDP, just useless to us.
            return;
        }

        if (attributes.Candidates.Count >= MaxCandidates)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.TooLarge, $"more than {MaxCandidates} candidates in one section");
        }

        attributes.Candidates.Add(candidate);
    }

    private static void ParseGroup(string argument, SdpParseState state)
    {
        var parts = argument.Split(' ');
        if (parts.Any(p => !SdpGrammar.IsToken(p)))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "a=group is '<semantics> <mid> ...' with single spaces");
        }

        // An empty BUNDLE group bundles nothing (RFC 5888 allows it); keeping it would only write a dangling "a=group:BUNDLE".
        if (parts[0] == "BUNDLE" && parts.Length > 1)
        {
            state.BundleGroups.Add(parts[1..]);
        }
    }

    private static void ParseSctpMap(string argument, SdpParseState state)
    {
        // Legacy form: "a=sctpmap:5000 webrtc-datachannel 1024"; the port must be the m= format.
        var parts = argument.Split(' ');
        if (parts.Length < 2 || parts[1] != SdpMediaSection.DataChannelFormat)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "a=sctpmap is '<port> webrtc-datachannel [<streams>]'");
        }

        var port = (int)SdpGrammar.ParseDecimal(parts[0], ushort.MaxValue, "a=sctpmap port");
        if (state.CurrentSection!.Formats[0] != parts[0])
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"a=sctpmap port {port} is not the m= line's format {state.CurrentSection.Formats[0]}");
        }
    }

    private static string Argument(string name, string? argument) =>
        string.IsNullOrEmpty(argument)
            ? throw SdpFormat.Error(WebRtcFormatProblem.Malformed, $"a={name} needs a value after ':'")
            : argument;

    private static void RequireLevel(bool atSession, bool sessionOnly, string name)
    {
        if (atSession != sessionOnly)
        {
            throw SdpFormat.Error(
                WebRtcFormatProblem.Malformed,
                sessionOnly ? $"a={name} belongs to the session part" : $"a={name} belongs to an m= section");
        }
    }

    private static SdpMediaSection ParseMediaLine(string value)
    {
        var fields = value.Split(' ');
        if (fields.Length < 4 || fields.Any(f => f.Length == 0))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "m= is '<media> <port> <proto> <format> ...' with single spaces");
        }

        if (!SdpGrammar.IsToken(fields[0]) || fields.Skip(3).Any(f => !SdpGrammar.IsToken(f)))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "m= media and formats must be tokens");
        }

        if (fields[1].Contains('/'))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Unsupported, "m= port ranges ('<port>/<count>') are not used by data channels");
        }

        var port = (int)SdpGrammar.ParseDecimal(fields[1], ushort.MaxValue, "m= port");
        if (fields[2].Split('/').Any(p => !SdpGrammar.IsToken(p)))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "m= proto is tokens joined by '/'");
        }

        return new SdpMediaSection { Media = fields[0], Port = port, Protocol = fields[2], Formats = fields[3..] };
    }

    private static SdpOrigin ParseOrigin(string value)
    {
        var fields = value.Split(' ');
        if (fields.Length != 6 || fields.Any(f => f.Length == 0))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "o= is '<username> <session id> <version> IN <IP4|IP6> <address>'");
        }

        var sessionId = SdpGrammar.ParseDecimal(fields[1], ulong.MaxValue, "o= session id");
        var version = SdpGrammar.ParseDecimal(fields[2], ulong.MaxValue, "o= session version");
        CheckNetwork(fields[3], fields[4], fields[5], "o=");
        return new SdpOrigin(fields[0], sessionId, version, fields[4], fields[5]);
    }

    private static string ParseConnection(string value)
    {
        var fields = value.Split(' ');
        if (fields.Length != 3)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "c= is 'IN <IP4|IP6> <address>'");
        }

        CheckNetwork(fields[0], fields[1], fields[2].Split('/')[0], "c=");
        return value;
    }

    private static void CheckNetwork(string netType, string addressType, string address, string what)
    {
        if (netType != "IN" || addressType is not ("IP4" or "IP6"))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Unsupported, $"{what} network '{SdpGrammar.Shorten(netType)} {SdpGrammar.Shorten(addressType)}' (only IN IP4 and IN IP6)");
        }

        if (!SdpGrammar.IsAddress(address))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"{what} address '{SdpGrammar.Shorten(address)}' is not an address");
        }
    }

    private static void ParseTiming(string value)
    {
        var fields = value.Split(' ');
        if (fields.Length != 2)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "t= is '<start> <stop>'");
        }

        SdpGrammar.ParseDecimal(fields[0], ulong.MaxValue, "t= start");
        SdpGrammar.ParseDecimal(fields[1], ulong.MaxValue, "t= stop");
    }

    private static SessionDescription Finish(SdpParseState state, int lineCount)
    {
        try
        {
            return Build(state);
        }
        catch (WebRtcFormatException e)
        {
            // Whole-description problems (something missing) point past the last line.
            throw SdpFormat.AtLine(e, lineCount + 1);
        }
    }

    private static SessionDescription Build(SdpParseState state)
    {
        if (!state.SawVersion)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Missing, "empty description (no v=0)");
        }

        if (state.Origin is null || state.SessionName is null || !state.SawTiming)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Missing, "the session part needs o=, s= and t= lines");
        }

        var session = state.SessionAttributes;
        var sections = new List<SdpMediaSection>();
        foreach (var (section, own) in state.Sections)
        {
            var merged = section with
            {
                Connection = own.Connection ?? session.Connection,
                Mid = own.Mid,
                IceUfrag = own.IceUfrag ?? session.IceUfrag,
                IcePwd = own.IcePwd ?? session.IcePwd,
                IceOptions = own.IceOptions ?? session.IceOptions ?? [],
                Fingerprints = own.Fingerprints.Count > 0 ? own.Fingerprints : session.Fingerprints,
                Setup = own.Setup ?? session.Setup,
                SctpPort = own.SctpPort ?? (section.IsLegacySctp && section.IsDataChannel ? int.Parse(section.Formats[0], System.Globalization.CultureInfo.InvariantCulture) : null),
                MaxMessageSize = own.MaxMessageSize,
                Candidates = own.Candidates,
                EndOfCandidates = own.EndOfCandidates || session.EndOfCandidates,
            };
            if (merged.IsDataChannel && !merged.IsRejected)
            {
                RequireTransportAttributes(merged, sections.Count);
            }

            sections.Add(merged);
        }

        var mids = sections.Where(s => s.Mid is not null).Select(s => s.Mid!).ToList();
        if (mids.Distinct(StringComparer.Ordinal).Count() != mids.Count)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, "two m= sections share one a=mid");
        }

        foreach (var unknown in state.BundleGroups.SelectMany(g => g).Where(m => !mids.Contains(m)))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"a=group:BUNDLE names mid '{SdpGrammar.Shorten(unknown)}' that no m= section has");
        }

        return new SessionDescription
        {
            Origin = state.Origin,
            SessionName = state.SessionName,
            IceLite = state.IceLite,
            BundleGroups = state.BundleGroups,
            MediaSections = sections,
        };
    }

    private static void RequireTransportAttributes(SdpMediaSection section, int index)
    {
        // What Chromium refuses too (notes §5.2): without these no connection can be authenticated.
        if (section.Fingerprints.Count == 0)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Missing, $"the data section (m= #{index + 1}) has no a=fingerprint");
        }

        if (section.IceUfrag is null || section.IcePwd is null)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Missing, $"the data section (m= #{index + 1}) has no a=ice-ufrag or a=ice-pwd");
        }
    }
}
