using System.Net;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// A service instance the browser has fully resolved on one interface: SRV (host, port), TXT
/// and at least one address are known. The same instance seen on two interfaces is two values.
/// </summary>
/// <param name="InstanceName">The instance label, e.g. <c>Alice's laptop</c>.</param>
/// <param name="HostName">The SRV target, e.g. <c>p2psync-abcdefghij.local</c>.</param>
/// <param name="Port">The SRV port.</param>
/// <param name="Txt">TXT pairs, keys ASCII-case-insensitive.</param>
/// <param name="Endpoints">Address:port pairs, IPv4 first; IPv6 link-local ones carry the interface as scope id.</param>
/// <param name="InterfaceIndex">Where it was seen.</param>
internal sealed record DiscoveredService(
    string InstanceName,
    DnsName HostName,
    ushort Port,
    IReadOnlyDictionary<string, string> Txt,
    IReadOnlyList<IPEndPoint> Endpoints,
    int InterfaceIndex)
{
    /// <summary>Same facts (host, port, TXT pairs, endpoints): used to decide whether a change is an "Updated".</summary>
    public bool SameFacts(DiscoveredService other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(InstanceName, other.InstanceName, StringComparison.Ordinal)
            && HostName.Equals(other.HostName)
            && Port == other.Port
            && InterfaceIndex == other.InterfaceIndex
            && Endpoints.SequenceEqual(other.Endpoints)
            && Txt.Count == other.Txt.Count
            && Txt.All(pair => other.Txt.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal));
    }
}
