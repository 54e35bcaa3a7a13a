using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>Fixed names of our DNS-SD use (RFC 6763).</summary>
internal static class MdnsNames
{
    /// <summary>Our service type: <c>_p2psync._tcp.local</c>.</summary>
    public static DnsName P2PSyncService { get; } = DnsName.Parse("_p2psync._tcp.local");

    /// <summary>The parent of every host name we publish.</summary>
    public static DnsName Local { get; } = DnsName.Parse("local");

    /// <summary>Service type enumeration (RFC 6763 §9): browsers like <c>avahi-browse -a</c> ask this first.</summary>
    public static DnsName ServiceEnumeration { get; } = DnsName.Parse("_services._dns-sd._udp.local");

    /// <summary>The UDP port of mDNS; a query from any other port is a "legacy unicast" one (RFC 6762 §6.7).</summary>
    public const int Port = 5353;
}
