using System.Net;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// One line of <c>avahi-browse -p</c>: a service appeared (+), went (-) or was resolved (=; only
/// then are host, address, port and TXT known). Names are unescaped.
/// </summary>
internal sealed record AvahiBrowseEvent(
    char Kind,
    string Interface,
    string Protocol,
    string InstanceName,
    string ServiceType,
    string Domain,
    string? Host,
    IPAddress? Address,
    ushort? Port,
    IReadOnlyList<string> Txt)
{
    public bool IsResolved => Kind == '=';

    /// <summary>The value of the first TXT string <c>key=value</c> with this key (ASCII case-insensitive, RFC 6763 §6.4), or null.</summary>
    public string? TxtValue(string key)
    {
        foreach (var entry in Txt)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? entry : entry[..eq];
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return eq < 0 ? "" : entry[(eq + 1)..];
            }
        }

        return null;
    }
}
