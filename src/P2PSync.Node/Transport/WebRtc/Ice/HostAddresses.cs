using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// The local addresses worth a host candidate: interfaces that are up and not loopback, IPv4 and
/// IPv6 except link-local IPv6 (fe80::/10 needs a scope id on the wire; Chromium skips it too).
/// </summary>
internal static class HostAddresses
{
    public static IReadOnlyList<IPAddress> Usable() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork
                || (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal && !IPAddress.IsLoopback(address)))
            .Distinct()
            .ToList();
}
