using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>What <see cref="MdnsDiscovery"/> publishes and looks for.</summary>
/// <param name="Publish">Our service; null = browse only (a node that does not listen has nothing to announce).</param>
/// <param name="Self">Our own DeviceId: our own announcements loop back to us and are not a peer.</param>
/// <param name="ServiceType">Defaults to <c>_p2psync._tcp.local</c>.</param>
internal sealed record MdnsDiscoveryOptions(ServiceProfile? Publish, DeviceId? Self, DnsName? ServiceType = null)
{
    /// <summary>
    /// Largest datagram we send. RFC 6762 §17 allows 9000, but 1460 fits an Ethernet frame
    /// without IP fragmentation, which some Wi-Fi and switch setups drop for multicast.
    /// </summary>
    public int MaxPacketBytes { get; init; } = 1460;

    /// <summary>
    /// How long a device stays hidden after its goodbye. The browser keeps goodbye'd records one
    /// more second (RFC 6762 §10.1, in case another responder corrects it); we hide the device at
    /// once so `peers --nearby` drops it without that second, and show it again if it is still
    /// cached after this (someone did correct it).
    /// </summary>
    public TimeSpan GoodbyeHide { get; init; } = TimeSpan.FromSeconds(1.5);

    public DnsName EffectiveServiceType => ServiceType ?? MdnsNames.P2PSyncService;
}
