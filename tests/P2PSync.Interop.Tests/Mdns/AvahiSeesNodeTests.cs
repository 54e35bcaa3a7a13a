using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>Our responder, judged by avahi: a node in namespace A as avahi-browse in namespace B sees it.</summary>
[Collection("mdns namespaces")]
public sealed class AvahiSeesNodeTests
{
    private const string ServiceType = "_p2psync._tcp";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;

    public AvahiSeesNodeTests(ITestOutputHelper output) => _output = output;

    [AvahiFact]
    public async Task AvahiBrowse_SeesOurNode_WithHostPortTxtAndAddresses_ThenItsGoodbye()
    {
        await using var lan = await NamespacePair.CreateAsync();
        await using var avahi = await AvahiDaemon.StartAsync(lan.B);
        await using var node = await NamespacedNode.StartAsync(lan.A, "node a");

        // One-shot browses, as a user would type them, until both address families have resolved.
        IReadOnlyList<AvahiBrowseEvent> ours = [];
        CommandResult? last = null;
        var clock = Stopwatch.StartNew();
        while (ours.Select(e => e.Protocol).Distinct().Count() < 2 && clock.Elapsed < Within)
        {
            var (events, raw) = await avahi.BrowseOnceAsync(ServiceType);
            last = raw;
            ours = events.Where(e => e.IsResolved && e.TxtValue("id") == node.DeviceId).ToList();
        }

        Assert.True(ours.Any(e => e.Protocol == "IPv4") && ours.Any(e => e.Protocol == "IPv6"), $"avahi-browse -rtp did not resolve {node} over IPv4 and IPv6 within {Within.TotalSeconds} s\n{last?.Describe()}\n--- node log ---\n{node.Log}");
        _output.WriteLine($"resolved by avahi-browse {clock.ElapsedMilliseconds} ms after the node was up: {string.Join(" | ", ours.Select(e => $"{e.Protocol} {e.Host} {e.Address} port {e.Port} txt [{string.Join(' ', e.Txt)}]"))}");
        foreach (var seen in ours)
        {
            Assert.Equal("node a", seen.InstanceName);
            Assert.Equal(ServiceType, seen.ServiceType);
            Assert.Equal(node.ExpectedHostLabel + ".local", seen.Host);
            Assert.Equal((ushort)node.Port, seen.Port);
            Assert.Equal("2", seen.TxtValue("proto"));
            Assert.Equal("1", seen.TxtValue("txtvers"));
            Assert.Equal(NamespacePair.InterfaceName, seen.Interface);
            // Only the address of the interface the question came in on, never a host-wide list.
            Assert.Contains(seen.Address!, lan.A.Addresses);
        }

        Assert.Equal(lan.A.Ipv4, ours.Single(e => e.Protocol == "IPv4").Address);

        // avahi-browse resolves any address family; ask for the host's A and AAAA records explicitly.
        var host = node.ExpectedHostLabel + ".local";
        var (v4, raw4) = await avahi.ResolveHostAsync(host, ipv6: false);
        Assert.True(lan.A.Ipv4.Equals(v4), $"A record of {host}: {raw4.Describe()}");
        var (v6, raw6) = await avahi.ResolveHostAsync(host, ipv6: true);
        // Compared without the scope id avahi may attach to a link-local address.
        var unscoped = v6 is null ? null : new IPAddress(v6.GetAddressBytes());
        Assert.True(unscoped is not null && (unscoped.Equals(lan.A.UlaIpv6) || unscoped.Equals(lan.A.LinkLocalIpv6)), $"AAAA record of {host}: {raw6.Describe()}");
        _output.WriteLine($"avahi-resolve: {host} A {v4}, AAAA {v6}");

        // SIGTERM: the node's goodbye (TTL 0) makes avahi withdraw it long before any TTL runs out.
        await using var browser = avahi.StartBrowser(ServiceType);
        await browser.WaitForAsync(e => e.IsResolved && e.TxtValue("id") == node.DeviceId, Within, $"{node} in the continuous browse");
        var stop = Stopwatch.StartNew();
        Assert.Equal(0, await node.StopAsync());
        await browser.WaitForAsync(e => e.Kind == '-' && e.InstanceName == "node a", TimeSpan.FromSeconds(5), "avahi to drop the node after its goodbye");
        _output.WriteLine($"avahi dropped the node {stop.ElapsedMilliseconds} ms after SIGTERM");
    }
}
