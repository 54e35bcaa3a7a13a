using System.Globalization;
using System.Net;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Builds two fresh network namespaces joined by one veth pair, the wire under both the mDNS LAN
/// (<see cref="NamespacePair"/>) and the WebRTC LAN: side A gets 10.N.X.1/24 and fd00:N:X::1/64,
/// side B .2 and ::2, loopback and the veth up. What differs per harness (duplicate address
/// detection, routes) comes in as hooks. On any failure both namespaces are deleted.
/// </summary>
internal static class VethWire
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    /// <param name="interfaceName">The name of the veth end in both namespaces.</param>
    /// <param name="octet">The second octet of the IPv4 subnet (and the second group of the ULA prefix).</param>
    /// <param name="beforeAddresses">Runs per side after loopback is up, before any address is added.</param>
    /// <param name="afterLinkUp">Runs per side (with the other side) once its veth end is up.</param>
    public static async Task<(NetworkNamespace A, NetworkNamespace B)> CreateAsync(
        string interfaceName,
        int octet,
        Func<NetworkNamespace, Task>? beforeAddresses,
        Func<NetworkNamespace, NetworkNamespace, Task>? afterLinkUp)
    {
        await StaleNamespaceSweeper.SweepAsync();
        var tag = NamespaceName.NewTag();
        // The subnet number only makes logs of different runs tell apart; the wires are isolated anyway.
        var subnet = 1 + (int.Parse(tag[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 250);
        var a = Side(tag, 'a', interfaceName, octet, subnet, 1);
        var b = Side(tag, 'b', interfaceName, octet, subnet, 2);
        try
        {
            await Ip("netns", "add", a.Name);
            await Ip("netns", "add", b.Name);
            // Created straight inside the namespaces, so the host never holds an interface with these names.
            await Ip("link", "add", interfaceName, "netns", a.Name, "type", "veth", "peer", "name", interfaceName, "netns", b.Name);
            foreach (var (side, other) in new[] { (a, b), (b, a) })
            {
                await Ip("-n", side.Name, "link", "set", "lo", "up");
                if (beforeAddresses is not null)
                {
                    await beforeAddresses(side);
                }

                await Ip("-n", side.Name, "addr", "add", $"{side.Ipv4}/24", "dev", interfaceName);
                // nodad: usable at once; nothing else is on this wire to collide with.
                await Ip("-n", side.Name, "addr", "add", $"{side.UlaIpv6}/64", "dev", interfaceName, "nodad");
                await Ip("-n", side.Name, "link", "set", interfaceName, "up");
                if (afterLinkUp is not null)
                {
                    await afterLinkUp(side, other);
                }
            }

            return (a, b);
        }
        catch
        {
            await DeleteAsync(a, b);
            throw;
        }
    }

    /// <summary>Kills whatever still runs inside either namespace and deletes both.</summary>
    public static async Task DeleteAsync(NetworkNamespace a, NetworkNamespace b)
    {
        await StaleNamespaceSweeper.DeleteAsync(a.Name);
        await StaleNamespaceSweeper.DeleteAsync(b.Name);
    }

    public static Task<string> Ip(params string[] args) => CommandRunner.CheckedAsync("ip", args, CommandTimeout);

    private static NetworkNamespace Side(string tag, char side, string interfaceName, int octet, int subnet, int host) =>
        new(
            new NamespaceName(Environment.ProcessId, tag, side).ToString(),
            interfaceName,
            IPAddress.Parse($"10.{octet}.{subnet}.{host}"),
            IPAddress.Parse($"fd00:{octet}:{subnet:x}::{host}"));
}
