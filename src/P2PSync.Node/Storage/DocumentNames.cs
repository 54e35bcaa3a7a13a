using System.Globalization;

namespace P2PSync.Node.Storage;

/// <summary>Which document (and peer) names are accepted: what a person typed, shown back in lists and on peers.</summary>
internal static class DocumentNames
{
    /// <summary>Longest accepted name, in UTF-16 code units.</summary>
    public const int MaxLength = 200;

    /// <summary>
    /// Throws <see cref="InvalidStoreInputException"/> for an empty or blank name, one longer
    /// than <see cref="MaxLength"/>, or one with characters that would corrupt a one-line
    /// display: control characters (newlines, tabs, escape sequences), line/paragraph
    /// separators, bidirectional overrides (which can make a name read as another) and broken
    /// surrogate pairs. Leading and trailing spaces are refused rather than silently trimmed,
    /// so the stored name is exactly what the person typed.
    /// </summary>
    public static string Validate(string? name, string field = "document name")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidStoreInputException(field, "it is empty");
        }

        if (name.Length > MaxLength)
        {
            throw new InvalidStoreInputException(field, $"it is {name.Length} characters long; at most {MaxLength} are allowed");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidStoreInputException(field, "it is only whitespace");
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            throw new InvalidStoreInputException(field, "it starts or ends with whitespace");
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }

            if (IsRefused(c))
            {
                throw new InvalidStoreInputException(
                    field,
                    $"character {DocumentIds.Describe(c)} at position {i + 1} is not allowed (control, separator, bidi override or broken surrogate)");
            }
        }

        return name;
    }

    private static bool IsRefused(char c) =>
        char.IsSurrogate(c)
        || char.GetUnicodeCategory(c) is UnicodeCategory.Control
            or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';
}
