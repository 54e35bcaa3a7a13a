using System.Net.Sockets;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// One multicast group on one interface (IPv4 or IPv6). Rate limits and "recently multicast"
/// are tracked per link: a record sent to the IPv4 group has not reached IPv6-only listeners.
/// </summary>
internal readonly record struct MdnsLink(int InterfaceIndex, AddressFamily Family)
{
    public MdnsDestination Destination => MdnsDestination.Multicast(InterfaceIndex, Family);

    /// <summary>The links an interface has: one per address family it holds an address of.</summary>
    public static IReadOnlyList<MdnsLink> Of(MdnsInterface nic)
    {
        var links = new List<MdnsLink>(2);
        if (nic.Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork))
        {
            links.Add(new MdnsLink(nic.Index, AddressFamily.InterNetwork));
        }

        if (nic.Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6))
        {
            links.Add(new MdnsLink(nic.Index, AddressFamily.InterNetworkV6));
        }

        return links;
    }
}
