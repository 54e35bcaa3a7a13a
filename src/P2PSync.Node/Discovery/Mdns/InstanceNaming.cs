using System.Text;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// The names a responder claims, and the names it falls back to after conflicts: instance
/// "Name", "Name (2)", "Name (3)"... (RFC 6763 §D) and host "label", "label-2", ... Every result
/// fits one DNS label (63 UTF-8 bytes), cut on a code point boundary so no character is split.
/// </summary>
internal static class InstanceNaming
{
    /// <summary>The instance label for the <paramref name="attempt"/>-th try (1 = the plain name).</summary>
    public static string Instance(string baseName, int attempt)
    {
        var suffix = attempt <= 1 ? "" : $" ({attempt})";
        return Truncate(baseName, DnsName.MaxLabelBytes - Encoding.UTF8.GetByteCount(suffix)) + suffix;
    }

    /// <summary>The host label for the <paramref name="attempt"/>-th try (1 = the plain label).</summary>
    public static string Host(string baseLabel, int attempt)
    {
        var suffix = attempt <= 1 ? "" : $"-{attempt}";
        return Truncate(baseLabel, DnsName.MaxLabelBytes - Encoding.UTF8.GetByteCount(suffix)) + suffix;
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits <paramref name="maxBytes"/> UTF-8 bytes, never splitting a code point.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var used = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return text[..end];
    }
}
