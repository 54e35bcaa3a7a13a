using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Where a packet goes: to one address (<paramref name="Unicast"/>) or, when that is null, to
/// the mDNS multicast group of <paramref name="MulticastFamily"/> (224.0.0.251 or ff02::fb) on
/// the interface <paramref name="InterfaceIndex"/>.
/// </summary>
/// <remarks>
/// The contract names two parameters; the third has a default so <c>new MdnsDestination(i, null)</c>
/// still means "the IPv4 group". Engines always name the family, because an interface with both
/// families is sent to on both groups.
/// </remarks>
internal sealed record MdnsDestination(int InterfaceIndex, IPEndPoint? Unicast, AddressFamily MulticastFamily = AddressFamily.InterNetwork)
{
    /// <summary>The address family the packet travels in: the unicast target's, or the group's.</summary>
    public AddressFamily Family => Unicast?.AddressFamily ?? MulticastFamily;

    /// <summary>True when the packet goes to the multicast group.</summary>
    public bool IsMulticast => Unicast is null;

    /// <summary>The multicast group of <paramref name="family"/> on interface <paramref name="interfaceIndex"/>.</summary>
    public static MdnsDestination Multicast(int interfaceIndex, AddressFamily family) => new(interfaceIndex, null, family);

    /// <summary>One peer, reached through interface <paramref name="interfaceIndex"/>.</summary>
    public static MdnsDestination To(int interfaceIndex, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new MdnsDestination(interfaceIndex, endpoint, endpoint.AddressFamily);
    }

    public override string ToString() => Unicast is null
        ? $"if{InterfaceIndex}/{(Family == AddressFamily.InterNetworkV6 ? "ff02::fb" : "224.0.0.251")}"
        : $"if{InterfaceIndex}/{Unicast}";
}
