using System.Globalization;
using System.Net;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Two fresh network namespaces joined by a veth pair: a LAN of two hosts that nothing else can
/// hear, so multicast tests never leave the machine. A gets 10.77.X.1/24 and fd00:77:X::1/64,
/// B .2 and ::2, both keep their kernel link-local fe80:: address. Disposing kills whatever
/// still runs inside and deletes both.
/// </summary>
internal sealed class NamespacePair : IAsyncDisposable
{
    public const string InterfaceName = "mdns0";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    private NamespacePair(NetworkNamespace a, NetworkNamespace b)
    {
        A = a;
        B = b;
    }

    public NetworkNamespace A { get; }

    public NetworkNamespace B { get; }

    public static async Task<NamespacePair> CreateAsync()
    {
        await StaleNamespaceSweeper.SweepAsync();
        var tag = NamespaceName.NewTag();
        // The subnet number only makes logs of different runs tell apart; the LANs are isolated anyway.
        var subnet = 1 + (int.Parse(tag[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 250);
        var a = Side(tag, 'a', subnet, 1);
        var b = Side(tag, 'b', subnet, 2);
        var pair = new NamespacePair(a, b);
        try
        {
            await Ip("netns", "add", a.Name);
            await Ip("netns", "add", b.Name);
            // Created straight inside the namespaces, so the host never holds an interface with these names.
            await Ip("link", "add", InterfaceName, "netns", a.Name, "type", "veth", "peer", "name", InterfaceName, "netns", b.Name);
            foreach (var side in new[] { a, b })
            {
                await ConfigureAsync(side);
            }

            foreach (var side in new[] { a, b })
            {
                side.LinkLocalIpv6 = await WaitForLinkLocalAsync(side);
            }

            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StaleNamespaceSweeper.DeleteAsync(A.Name);
        await StaleNamespaceSweeper.DeleteAsync(B.Name);
    }

    public override string ToString() => $"{A} <-> {B}";

    private static NetworkNamespace Side(string tag, char side, int subnet, int host) =>
        new(
            new NamespaceName(Environment.ProcessId, tag, side).ToString(),
            InterfaceName,
            IPAddress.Parse($"10.77.{subnet}.{host}"),
            IPAddress.Parse($"fd00:77:{subnet:x}::{host}"));

    private static async Task ConfigureAsync(NetworkNamespace side)
    {
        await Ip("-n", side.Name, "link", "set", "lo", "up");
        // No duplicate address detection: the link-local address is usable the moment the link is up
        // instead of ~1-2 s later, and nothing else is on this wire to collide with.
        await side.ExecAsync(CommandTimeout, "sh", "-c", $"echo 0 > /proc/sys/net/ipv6/conf/{InterfaceName}/accept_dad");
        await Ip("-n", side.Name, "addr", "add", $"{side.Ipv4}/24", "dev", InterfaceName);
        await Ip("-n", side.Name, "addr", "add", $"{side.UlaIpv6}/64", "dev", InterfaceName, "nodad");
        await Ip("-n", side.Name, "link", "set", InterfaceName, "up");
        // Without a default route a multicast send that names no interface fails with ENETUNREACH;
        // this route makes the veth the obvious choice for such a sender.
        await Ip("-n", side.Name, "route", "add", "224.0.0.0/4", "dev", InterfaceName);
    }

    private static async Task<IPAddress> WaitForLinkLocalAsync(NetworkNamespace side)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await Ip("-n", side.Name, "-o", "-6", "addr", "show", "dev", InterfaceName, "scope", "link");
            var up = await Ip("-n", side.Name, "-o", "link", "show", "dev", InterfaceName);
            var address = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => t.StartsWith("fe80:", StringComparison.Ordinal));
            if (address is not null && up.Contains("LOWER_UP", StringComparison.Ordinal) && !text.Contains("tentative", StringComparison.Ordinal))
            {
                return IPAddress.Parse(address.Split('/')[0]);
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new ExternalCommandException($"{side.Name}: {InterfaceName} has no usable link-local address after 10 s:\n{text}\n{up}");
            }

            await Task.Delay(50);
        }
    }

    private static Task<string> Ip(params string[] args) => CommandRunner.CheckedAsync("ip", args, CommandTimeout);
}
