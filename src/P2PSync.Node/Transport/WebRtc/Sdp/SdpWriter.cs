using System.Globalization;
using System.Text;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// Writes a <see cref="SessionDescription"/> the way notes §5.3 fixes it: CRLF line ends, the
/// session lines (v o s t, then group and msid-semantic as Chromium writes them), then each m=
/// section with c= and its attributes in Chromium's order. Only modelled attributes exist, so
/// nothing unknown from a parsed description can leak into what we send.
/// </summary>
internal static class SdpWriter
{
    private const string DefaultConnection = "IN IP4 0.0.0.0";

    public static string Write(SessionDescription description)
    {
        var text = new StringBuilder(1024);
        var origin = description.Origin;
        Line(text, "v=0");
        Line(text, $"o={origin.Username} {origin.SessionId} {origin.SessionVersion} IN {origin.AddressType} {origin.Address}");
        Line(text, $"s={description.SessionName}");
        Line(text, "t=0 0");
        if (description.IceLite)
        {
            Line(text, "a=ice-lite");
        }

        foreach (var group in description.BundleGroups.Where(g => g.Count > 0))
        {
            Line(text, $"a=group:BUNDLE {string.Join(' ', group)}");
        }

        // Chromium writes it; peers built around Chromium's output expect it (media streams: none).
        Line(text, "a=msid-semantic: WMS");
        foreach (var section in description.MediaSections)
        {
            WriteSection(text, section);
        }

        return text.ToString();
    }

    private static void WriteSection(StringBuilder text, SdpMediaSection section)
    {
        Line(text, $"m={section.Media} {section.Port} {section.Protocol} {string.Join(' ', section.Formats)}");
        Line(text, $"c={section.Connection ?? DefaultConnection}");
        if (section.IsRejected || !section.IsDataChannel)
        {
            // A rejected section keeps only its identity (RFC 8843 §7.3.3): nothing to connect.
            if (section.Mid is not null)
            {
                Line(text, $"a=mid:{section.Mid}");
            }

            return;
        }

        if (section.IceUfrag is not null)
        {
            Line(text, $"a=ice-ufrag:{section.IceUfrag}");
        }

        if (section.IcePwd is not null)
        {
            Line(text, $"a=ice-pwd:{section.IcePwd}");
        }

        if (section.IceOptions.Count > 0)
        {
            Line(text, $"a=ice-options:{string.Join(' ', section.IceOptions)}");
        }

        foreach (var fingerprint in section.Fingerprints)
        {
            Line(text, $"a=fingerprint:{fingerprint}");
        }

        if (section.Setup is { } setup)
        {
            Line(text, $"a=setup:{setup.ToText()}");
        }

        if (section.Mid is not null)
        {
            Line(text, $"a=mid:{section.Mid}");
        }

        if (section.IsLegacySctp)
        {
            // The legacy form names the port in the format and again in sctpmap, with the stream count (the most SCTP allows).
            Line(text, $"a=sctpmap:{section.Formats[0]} {SdpMediaSection.DataChannelFormat} 65535");
        }
        else if (section.SctpPort is { } port)
        {
            Line(text, $"a=sctp-port:{port.ToString(CultureInfo.InvariantCulture)}");
        }

        if (section.MaxMessageSize is { } size)
        {
            Line(text, $"a=max-message-size:{size.ToString(CultureInfo.InvariantCulture)}");
        }

        foreach (var candidate in section.Candidates)
        {
            Line(text, $"a={IceCandidateLine.Format(candidate)}");
        }

        if (section.EndOfCandidates)
        {
            Line(text, "a=end-of-candidates");
        }
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append("\r\n");
}
