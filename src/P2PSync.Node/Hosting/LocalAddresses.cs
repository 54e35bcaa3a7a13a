using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace P2PSync.Node.Hosting;

/// <summary>Where this machine can be reached on a port: what an invite offers the joiner to dial.</summary>
internal static class LocalAddresses
{
    /// <summary>Most addresses an invite carries (InviteCode allows 8).</summary>
    public const int Max = 8;

    /// <summary>
    /// HOST:PORT for each unicast address of every interface that is up: IPv4 before IPv6,
    /// link-local IPv6 left out (it needs a scope the joiner cannot know), loopback last (a joiner
    /// on the same machine).
    /// </summary>
    public static IReadOnlyList<string> For(int port)
    {
        var addresses = new List<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                addresses.AddRange(nic.GetIPProperties().UnicastAddresses.Select(a => a.Address));
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list: the loopback entry below still lets a local joiner in.
        }

        return [.. addresses
            .Where(a => !(a.AddressFamily == AddressFamily.InterNetworkV6 && (a.IsIPv6LinkLocal || a.IsIPv6Multicast)))
            .Distinct()
            .OrderBy(a => IPAddress.IsLoopback(a) ? 1 : 0)
            .ThenBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .Take(Max)
            .Select(a => new IPEndPoint(a, port).ToString())];
    }
}
