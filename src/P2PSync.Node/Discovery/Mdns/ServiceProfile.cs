using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// What the responder publishes: instance <c>InstanceName._p2psync._tcp.local</c> on host
/// <c>HostLabel.local</c> at <paramref name="Port"/>, with <paramref name="Txt"/> as key=value pairs.
/// </summary>
/// <param name="InstanceName">The device name; cut to 63 UTF-8 bytes on a code point boundary.</param>
/// <param name="HostLabel">One label, e.g. <c>p2psync-abcdefghij</c> (never the OS host name, so we never fight avahi for it).</param>
/// <param name="Port">The TCP port the node listens on.</param>
/// <param name="Txt">TXT pairs; <c>txtvers</c> goes first when present (RFC 6763 §6.7).</param>
/// <param name="ServiceType">Defaults to <c>_p2psync._tcp.local</c>; tests publish other types.</param>
internal sealed record ServiceProfile(
    string InstanceName,
    string HostLabel,
    ushort Port,
    IReadOnlyDictionary<string, string> Txt,
    DnsName? ServiceType = null)
{
    /// <summary>The service type this profile is published under.</summary>
    public DnsName EffectiveServiceType => ServiceType ?? MdnsNames.P2PSyncService;
}
