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

    private static readonly TimeSpan CommandTimeout = VethWire.CommandTimeout;

    private NamespacePair(NetworkNamespace a, NetworkNamespace b)
    {
        A = a;
        B = b;
    }

    public NetworkNamespace A { get; }

    public NetworkNamespace B { get; }

    public static async Task<NamespacePair> CreateAsync()
    {
        var (a, b) = await VethWire.CreateAsync(InterfaceName, 77, DisableDadAsync, AddMulticastRouteAsync);
        var pair = new NamespacePair(a, b);
        try
        {
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

    public ValueTask DisposeAsync() => new(VethWire.DeleteAsync(A, B));

    public override string ToString() => $"{A} <-> {B}";

    // No duplicate address detection: the link-local address is usable the moment the link is up
    // instead of ~1-2 s later, and nothing else is on this wire to collide with.
    private static Task DisableDadAsync(NetworkNamespace side) =>
        side.ExecAsync(CommandTimeout, "sh", "-c", $"echo 0 > /proc/sys/net/ipv6/conf/{InterfaceName}/accept_dad");

    // Without a default route a multicast send that names no interface fails with ENETUNREACH;
    // this route makes the veth the obvious choice for such a sender.
    private static Task AddMulticastRouteAsync(NetworkNamespace side, NetworkNamespace other) =>
        Ip("-n", side.Name, "route", "add", "224.0.0.0/4", "dev", InterfaceName);

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

    private static Task<string> Ip(params string[] args) => VethWire.Ip(args);
}
