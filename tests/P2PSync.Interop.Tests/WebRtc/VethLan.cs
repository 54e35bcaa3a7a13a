using System.Globalization;
using System.Net;
using P2PSync.Interop.Tests.Mdns;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Two fresh network namespaces joined by a veth pair, for WebRTC peers: A has 10.78.X.1/24, B
/// 10.78.X.2/24 (and fd00:78:X::1 / ::2). Chromium gathers no candidates without a non-loopback
/// interface and a default route, so each side's default route points at the other side. That
/// route dead-ends safely: a fresh namespace does not forward, so a packet for any address that is
/// not on this wire is dropped at the other end and never reaches a real network.
/// Names follow the mDNS harness's pattern, so its sweeper also removes leftovers of crashed runs.
/// </summary>
internal sealed class VethLan : IAsyncDisposable
{
    public const string InterfaceName = "wrtc0";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    private VethLan(NetworkNamespace a, NetworkNamespace b)
    {
        A = a;
        B = b;
    }

    public NetworkNamespace A { get; }

    public NetworkNamespace B { get; }

    public static async Task<VethLan> CreateAsync()
    {
        await StaleNamespaceSweeper.SweepAsync();
        var tag = NamespaceName.NewTag();
        // The subnet number only makes logs of different runs tell apart; the wires are isolated anyway.
        var subnet = 1 + (int.Parse(tag[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 250);
        var a = Side(tag, 'a', subnet, 1);
        var b = Side(tag, 'b', subnet, 2);
        var lan = new VethLan(a, b);
        try
        {
            await Ip("netns", "add", a.Name);
            await Ip("netns", "add", b.Name);
            await Ip("link", "add", InterfaceName, "netns", a.Name, "type", "veth", "peer", "name", InterfaceName, "netns", b.Name);
            await ConfigureAsync(a, b.Ipv4);
            await ConfigureAsync(b, a.Ipv4);
            return lan;
        }
        catch
        {
            await lan.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills whatever still runs inside either namespace and deletes both.</summary>
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
            IPAddress.Parse($"10.78.{subnet}.{host}"),
            IPAddress.Parse($"fd00:78:{subnet:x}::{host}"));

    private static async Task ConfigureAsync(NetworkNamespace side, IPAddress other)
    {
        await Ip("-n", side.Name, "link", "set", "lo", "up");
        await Ip("-n", side.Name, "addr", "add", $"{side.Ipv4}/24", "dev", InterfaceName);
        // nodad: usable at once; nothing else is on this wire to collide with.
        await Ip("-n", side.Name, "addr", "add", $"{side.UlaIpv6}/64", "dev", InterfaceName, "nodad");
        await Ip("-n", side.Name, "link", "set", InterfaceName, "up");
        await Ip("-n", side.Name, "route", "add", "default", "via", other.ToString());
    }

    private static Task<string> Ip(params string[] args) => CommandRunner.CheckedAsync("ip", args, CommandTimeout);
}
