using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Which interfaces mDNS runs on: up, multicast-capable, non-loopback ones with an address.
/// Loopback only when nothing else qualifies and the caller allows it (a machine with no network,
/// or a test namespace with only <c>lo</c>), so two nodes on one such host still find each other.
/// </summary>
internal static class InterfaceSelection
{
    public static IReadOnlyList<MdnsInterface> Select(IEnumerable<InterfaceCandidate> candidates, bool allowLoopbackFallback)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var usable = candidates.Where(c => c.IsUp && c.Index > 0 && c.Addresses.Any(IsPublishable)).ToList();
        var chosen = usable.Where(c => !c.IsLoopback && c.SupportsMulticast).ToList();
        if (chosen.Count == 0 && allowLoopbackFallback)
        {
            chosen = usable.Where(c => c.IsLoopback).ToList();
        }

        return chosen
            .GroupBy(c => c.Index)
            .Select(g => g.First())
            .OrderBy(c => c.Index)
            .Select(c => new MdnsInterface(c.Index, c.Name, Order(c.Addresses)))
            .ToList();
    }

    /// <summary>Unicast IPv4 and IPv6 only; multicast, any and broadcast addresses are not ours to publish.</summary>
    private static bool IsPublishable(IPAddress address) =>
        address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.Broadcast) && (address.GetAddressBytes()[0] & 0xF0) != 0xE0,
            AddressFamily.InterNetworkV6 => !address.Equals(IPAddress.IPv6Any) && !address.IsIPv6Multicast && !address.IsIPv4MappedToIPv6,
            _ => false,
        };

    /// <summary>IPv4 first, then IPv6, each in the OS's order; one copy each. A fixed order keeps "did it change?" a plain comparison.</summary>
    private static List<IPAddress> Order(IReadOnlyList<IPAddress> addresses) =>
        addresses.Where(IsPublishable)
            .Distinct()
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ToList();
}
