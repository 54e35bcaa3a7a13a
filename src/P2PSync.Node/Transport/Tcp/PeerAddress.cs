using System.Globalization;

namespace P2PSync.Node.Transport.Tcp;

/// <summary>A dialable "HOST:PORT" ("[v6addr]:PORT" for IPv6 literals).</summary>
internal sealed record PeerAddress(string Host, int Port)
{
    /// <exception cref="FormatException">Not HOST:PORT with a port in 1..65535.</exception>
    public static PeerAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not HOST:PORT");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}': write an IPv6 address in brackets, e.g. [::1]:7000");
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{text}': the port must be a number from 1 to 65535");
        }

        if (host.Length == 0)
        {
            throw new FormatException($"'{text}' has no host");
        }

        return new PeerAddress(host, port);
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
