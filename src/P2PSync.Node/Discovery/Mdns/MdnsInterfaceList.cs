using System.Net.Sockets;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>Checks an interface list from the host before an engine changes any state for it.</summary>
internal static class MdnsInterfaceList
{
    /// <exception cref="ArgumentException">a null entry, a missing name or address list, an address that is neither IPv4 nor IPv6, or two entries with one index.</exception>
    public static void Validate(IReadOnlyList<MdnsInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        var seen = new HashSet<int>();
        foreach (var nic in interfaces)
        {
            if (nic is null)
            {
                throw new ArgumentException("the interface list holds a null entry", nameof(interfaces));
            }

            if (nic.Name is null || nic.Addresses is null)
            {
                throw new ArgumentException($"interface {nic.Index} has no name or no address list", nameof(interfaces));
            }

            if (nic.Addresses.Any(a => a is null || a.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)))
            {
                throw new ArgumentException($"interface {nic.Index} ({nic.Name}) lists an address that is neither IPv4 nor IPv6", nameof(interfaces));
            }

            if (!seen.Add(nic.Index))
            {
                throw new ArgumentException($"interface index {nic.Index} appears twice", nameof(interfaces));
            }
        }
    }
}
