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

    private VethLan(NetworkNamespace a, NetworkNamespace b)
    {
        A = a;
        B = b;
    }

    public NetworkNamespace A { get; }

    public NetworkNamespace B { get; }

    public static async Task<VethLan> CreateAsync()
    {
        var (a, b) = await VethWire.CreateAsync(InterfaceName, 78, beforeAddresses: null, AddDefaultRouteAsync);
        return new VethLan(a, b);
    }

    /// <summary>Kills whatever still runs inside either namespace and deletes both.</summary>
    public ValueTask DisposeAsync() => new(VethWire.DeleteAsync(A, B));

    public override string ToString() => $"{A} <-> {B}";

    private static Task AddDefaultRouteAsync(NetworkNamespace side, NetworkNamespace other) =>
        VethWire.Ip("-n", side.Name, "route", "add", "default", "via", other.Ipv4.ToString());
}
