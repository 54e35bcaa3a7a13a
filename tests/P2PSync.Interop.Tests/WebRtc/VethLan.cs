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
/// <see cref="CreateImpairedAsync"/> gives the same addresses over a lossy, reordering wire instead.
/// </summary>
internal sealed class VethLan : IAsyncDisposable
{
    public const string InterfaceName = "wrtc0";

    private const int SecondOctet = 78;

    private VethLan(NetworkNamespace a, NetworkNamespace b, ImpairedWire? wire)
    {
        A = a;
        B = b;
        Wire = wire;
    }

    public NetworkNamespace A { get; }

    public NetworkNamespace B { get; }

    /// <summary>The impaired wire with its counters, or null for a plain veth pair.</summary>
    public ImpairedWire? Wire { get; }

    public static async Task<VethLan> CreateAsync()
    {
        var (a, b) = await VethWire.CreateAsync(InterfaceName, SecondOctet, beforeAddresses: null, AddDefaultRouteAsync);
        return new VethLan(a, b, null);
    }

    /// <summary>
    /// The same two namespaces and addresses, but the wire between them applies
    /// <paramref name="impairment"/> to every packet in both directions (netem's model, see
    /// <see cref="ImpairedWire"/> for why this is not tc netem). Each side's interface is a TUN device
    /// named <see cref="InterfaceName"/> whose packets this process carries across; the default route
    /// points into it, and the wire only carries packets for the other side's own addresses.
    /// </summary>
    public static async Task<VethLan> CreateImpairedAsync(WireImpairment impairment, TimeProvider time)
    {
        await StaleNamespaceSweeper.SweepAsync();
        var tag = NamespaceName.NewTag();
        // The same naming and addressing as VethWire's, so sweeper, tests and logs treat both alike.
        var subnet = 1 + (int.Parse(tag[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 250);
        var a = Side(tag, 'a', subnet, 1);
        var b = Side(tag, 'b', subnet, 2);
        ImpairedWire? wire = null;
        try
        {
            await VethWire.Ip("netns", "add", a.Name);
            await VethWire.Ip("netns", "add", b.Name);
            wire = ImpairedWire.Start(a, b, InterfaceName, impairment, time);
            foreach (var side in new[] { a, b })
            {
                await VethWire.Ip("-n", side.Name, "link", "set", "lo", "up");
                await VethWire.Ip("-n", side.Name, "addr", "add", $"{side.Ipv4}/24", "dev", InterfaceName);
                await VethWire.Ip("-n", side.Name, "addr", "add", $"{side.UlaIpv6}/64", "dev", InterfaceName, "nodad");
                await VethWire.Ip("-n", side.Name, "link", "set", InterfaceName, "up");
                // A TUN device has no neighbours to resolve: the route names the device, not a gateway.
                await VethWire.Ip("-n", side.Name, "route", "add", "default", "dev", InterfaceName);
            }

            return new VethLan(a, b, wire);
        }
        catch
        {
            wire?.Dispose();
            await VethWire.DeleteAsync(a, b);
            throw;
        }
    }

    /// <summary>Stops the impaired wire if there is one, kills whatever still runs inside either namespace and deletes both.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            Wire?.Dispose();
        }
        finally
        {
            await VethWire.DeleteAsync(A, B);
        }
    }

    public override string ToString() => Wire is null ? $"{A} <-> {B}" : $"{A} <-> {B} over {Wire.Impairment}";

    private static Task AddDefaultRouteAsync(NetworkNamespace side, NetworkNamespace other) =>
        VethWire.Ip("-n", side.Name, "route", "add", "default", "via", other.Ipv4.ToString());

    private static NetworkNamespace Side(string tag, char side, int subnet, int host) =>
        new(
            new NamespaceName(Environment.ProcessId, tag, side).ToString(),
            InterfaceName,
            IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.{SecondOctet}.{subnet}.{host}")),
            IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:{SecondOctet}:{subnet:x}::{host}")));
}
