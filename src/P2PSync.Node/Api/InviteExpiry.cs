using System.Globalization;

namespace P2PSync.Node.Api;

/// <summary>How long an invite stays valid, as users write it: a whole number with s, m, h or d ("90m", "24h", "7d").</summary>
internal static class InviteExpiry
{
    /// <summary>What an invite gets when none is asked for: a day is long enough to pass a code on, short enough to go stale.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    /// <summary>The longest validity: a code that lies around longer is more likely to leak than to be used.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(30);

    /// <summary>The validity <paramref name="text"/> names; null or blank = <see cref="Default"/>.</summary>
    /// <exception cref="SpaceRequestException">Not a number with a unit, zero, or beyond <see cref="Max"/> (BadInput).</exception>
    public static TimeSpan Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var trimmed = text.Trim();
        var unit = char.ToLowerInvariant(trimmed[^1]);
        var digits = trimmed[..^1];
        if (digits.Length is 0 or > 9 || !digits.All(char.IsAsciiDigit) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            throw Bad(text);
        }

        var validFor = unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => throw Bad(text),
        };
        if (validFor <= TimeSpan.Zero)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"an invite must be valid for some time, not \"{text}\"");
        }

        if (validFor > Max)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"an invite can be valid for at most 30d, not \"{text}\"");
        }

        return validFor;
    }

    private static SpaceRequestException Bad(string text) =>
        new(SpaceRequestProblem.BadInput, $"\"{text}\" is not a duration: write a whole number with s, m, h or d, e.g. 24h or 7d");
}
