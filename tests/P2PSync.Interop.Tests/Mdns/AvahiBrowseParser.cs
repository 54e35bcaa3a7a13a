using System.Globalization;
using System.Net;
using System.Text;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Reads <c>avahi-browse -p</c> (parsable) output:
/// <c>+;IFACE;PROTO;NAME;TYPE;DOMAIN</c>, <c>-;...</c> (same fields) and
/// <c>=;IFACE;PROTO;NAME;TYPE;DOMAIN;HOST;ADDRESS;PORT;"TXT" "TXT"...</c>.
/// avahi escapes the instance name label-style (<c>\.</c>, <c>\\</c>, and every byte outside
/// [A-Za-z0-9_-] as <c>\DDD</c> decimal), and TXT strings inside quotes (<c>\"</c>, <c>\\</c>,
/// <c>\DDD</c>). Anything else is an <see cref="AvahiOutputFormatException"/>: the harness must
/// never mistake garbage for a sighting.
/// </summary>
internal static class AvahiBrowseParser
{
    private const int ShortFields = 6;
    private const int ResolvedFields = 10;

    public static IReadOnlyList<AvahiBrowseEvent> ParseAll(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0)
            .Select(ParseLine)
            .ToList();

    public static AvahiBrowseEvent ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length < 2 || line[1] != ';')
        {
            throw new AvahiOutputFormatException("not an avahi-browse -p line", line);
        }

        var kind = line[0];
        var expected = kind switch
        {
            '+' or '-' => ShortFields,
            '=' => ResolvedFields,
            _ => throw new AvahiOutputFormatException($"unknown event kind '{kind}'", line),
        };
        // The TXT field is last and may hold ';' itself, so split at most into the expected count.
        var fields = line.Split(';', expected);
        if (fields.Length != expected || (kind != '=' && fields[^1].Contains(';', StringComparison.Ordinal)))
        {
            throw new AvahiOutputFormatException($"expected {expected} fields, found {line.Split(';').Length}", line);
        }

        var instance = UnescapeLabel(fields[3], line);
        if (fields[1].Length == 0 || fields[2].Length == 0 || fields[4].Length == 0 || fields[5].Length == 0 || instance.Length == 0)
        {
            throw new AvahiOutputFormatException("empty field", line);
        }

        if (kind != '=')
        {
            return new AvahiBrowseEvent(kind, fields[1], fields[2], instance, fields[4], fields[5], null, null, null, []);
        }

        if (fields[6].Length == 0)
        {
            throw new AvahiOutputFormatException("empty host name", line);
        }

        if (!IPAddress.TryParse(fields[7], out var address))
        {
            throw new AvahiOutputFormatException($"bad address '{fields[7]}'", line);
        }

        if (!ushort.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new AvahiOutputFormatException($"bad port '{fields[8]}'", line);
        }

        return new AvahiBrowseEvent(kind, fields[1], fields[2], instance, fields[4], fields[5], fields[6], address, port, ParseTxt(fields[9], line));
    }

    /// <summary>Undoes avahi_escape_label: <c>\X</c> is X, <c>\DDD</c> is the byte DDD (0-255); the bytes are UTF-8.</summary>
    public static string UnescapeLabel(string text, string line)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                AppendUtf8(bytes, c, text, ref i, line);
                continue;
            }

            i = ReadEscape(text, i, bytes, line);
        }

        return DecodeUtf8(bytes, line);
    }

    private static IReadOnlyList<string> ParseTxt(string text, string line)
    {
        var strings = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (strings.Count > 0)
            {
                if (text[i] != ' ')
                {
                    throw new AvahiOutputFormatException("TXT strings must be separated by one space", line);
                }

                i++;
            }

            if (i >= text.Length || text[i] != '"')
            {
                throw new AvahiOutputFormatException("TXT string must start with a quote", line);
            }

            i++;
            var bytes = new List<byte>();
            var closed = false;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '"')
                {
                    closed = true;
                    i++;
                    break;
                }

                if (c == '\\')
                {
                    i = ReadEscape(text, i, bytes, line) + 1;
                    continue;
                }

                AppendUtf8(bytes, c, text, ref i, line);
                i++;
            }

            if (!closed)
            {
                throw new AvahiOutputFormatException("unterminated TXT string", line);
            }

            strings.Add(DecodeUtf8(bytes, line));
        }

        return strings;
    }

    // Reads the escape whose backslash is at text[at]; returns the index of its last character.
    private static int ReadEscape(string text, int at, List<byte> bytes, string line)
    {
        if (at + 1 >= text.Length)
        {
            throw new AvahiOutputFormatException("backslash at the end of a field", line);
        }

        if (char.IsAsciiDigit(text[at + 1]))
        {
            if (at + 3 >= text.Length || !char.IsAsciiDigit(text[at + 2]) || !char.IsAsciiDigit(text[at + 3]))
            {
                throw new AvahiOutputFormatException("\\DDD escape needs three digits", line);
            }

            var value = int.Parse(text.AsSpan(at + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                throw new AvahiOutputFormatException($"\\{value} is not a byte", line);
            }

            bytes.Add((byte)value);
            return at + 3;
        }

        var next = at + 1;
        AppendUtf8(bytes, text[next], text, ref next, line);
        return next;
    }

    // Appends the UTF-8 bytes of the character at text[i] (a surrogate pair advances i by one more).
    private static void AppendUtf8(List<byte> bytes, char c, string text, ref int i, string line)
    {
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, 2)));
            i++;
            return;
        }

        if (char.IsSurrogate(c))
        {
            throw new AvahiOutputFormatException("lone surrogate", line);
        }

        Span<byte> buffer = stackalloc byte[4];
        var length = Encoding.UTF8.GetBytes([c], buffer);
        for (var k = 0; k < length; k++)
        {
            bytes.Add(buffer[k]);
        }
    }

    private static string DecodeUtf8(List<byte> bytes, string line)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new AvahiOutputFormatException("escaped bytes are not UTF-8", line);
        }
    }
}
