using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Storage;

/// <summary>
/// Which dial addresses are stored for a peer: "host:port" with a DNS name or IPv4 address, or
/// "[ipv6]:port". They are checked when added, so the connection manager never finds an
/// address in the store that it cannot dial.
/// </summary>
internal static class PeerAddresses
{
    /// <summary>Most addresses kept per peer; a device has a few interfaces, not dozens.</summary>
    public const int MaxPerPeer = 16;

    private const string Field = "peer address";
    private const int MaxLength = 270;

    /// <summary>Validates every address; returns them normalised (IP literals in canonical form), duplicates dropped.</summary>
    public static IReadOnlyList<string> ValidateAll(IReadOnlyList<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var result = new List<string>(addresses.Count);
        foreach (var address in addresses)
        {
            var normalised = Validate(address);
            if (!result.Contains(normalised, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(normalised);
            }
        }

        if (result.Count > MaxPerPeer)
        {
            throw new InvalidStoreInputException(Field, $"{result.Count} addresses given; at most {MaxPerPeer} are kept per peer");
        }

        return result;
    }

    /// <summary>Throws <see cref="InvalidStoreInputException"/> unless <paramref name="address"/> is a dialable host:port.</summary>
    public static string Validate(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            throw new InvalidStoreInputException(Field, "it is empty");
        }

        if (address.Length > MaxLength)
        {
            throw new InvalidStoreInputException(Field, $"it is {address.Length} characters long; at most {MaxLength} are allowed");
        }

        string host;
        string portText;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= address.Length || address[close + 1] != ':')
            {
                throw new InvalidStoreInputException(Field, $"'{address}' should look like [IPv6]:PORT");
            }

            host = address[1..close];
            portText = address[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new InvalidStoreInputException(Field, $"'{host}' inside brackets is not an IPv6 address");
            }

            return $"[{v6}]:{ParsePort(portText)}";
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new InvalidStoreInputException(Field, $"'{address}' should look like HOST:PORT");
        }

        host = address[..colon];
        portText = address[(colon + 1)..];
        if (host.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidStoreInputException(Field, $"'{address}': write an IPv6 address in brackets, as [{host}]:{portText}");
        }

        var port = ParsePort(portText);
        if (IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && LooksLikeDottedQuad(host))
        {
            return $"{v4}:{port}";
        }

        if (!IsHostName(host))
        {
            throw new InvalidStoreInputException(Field, $"'{host}' is neither an IP address nor a valid host name");
        }

        return $"{host}:{port}";
    }

    private static int ParsePort(string text)
    {
        if (text.Length is 0 or > 5
            || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new InvalidStoreInputException(Field, $"port '{text}' is not a number from 1 to 65535");
        }

        return port;
    }

    // IPAddress.TryParse also accepts "1", "1.2" and hex forms; only the usual a.b.c.d counts as IPv4 here.
    private static bool LooksLikeDottedQuad(string host) =>
        host.Count(c => c == '.') == 3 && host.All(c => char.IsAsciiDigit(c) || c == '.');

    /// <summary>RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.</summary>
    private static bool IsHostName(string host)
    {
        if (host.Length > 253)
        {
            return false;
        }

        foreach (var label in host.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        // All-numeric dotted names ("1.2.3", "300.1.1.1") are bad IPv4 addresses, not host names.
        return !host.All(c => char.IsAsciiDigit(c) || c == '.');
    }
}
