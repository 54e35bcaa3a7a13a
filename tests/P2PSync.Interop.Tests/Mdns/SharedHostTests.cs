using System.Diagnostics;
using P2PSync.Interop.Tests.Node;
using P2PSync.Node.Identity;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// A Linux desktop usually runs avahi already: our node must share UDP 5353 with it on the same
/// host, and <c>--no-mdns</c> must really keep the node off the LAN.
/// </summary>
[Collection("mdns namespaces")]
public sealed class SharedHostTests
{
    private const string ServiceType = "_p2psync._tcp";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;

    public SharedHostTests(ITestOutputHelper output) => _output = output;

    [AvahiFact]
    public async Task NodeNextToAvahi_BothWork_AndAvahiOnTheOtherHostSeesTheNode()
    {
        using var key = DeviceKey.FromSeed(Enumerable.Range(0, DeviceKey.SeedLength).Select(i => (byte)(200 - i)).ToArray());
        var avahiDevice = key.Id.ToString();

        await using var lan = await NamespacePair.CreateAsync();
        await using var avahiA = await AvahiDaemon.StartAsync(lan.A);
        await using var avahiB = await AvahiDaemon.StartAsync(lan.B);
        await using var node = await NamespacedNode.StartAsync(lan.A, "node a");
        await using var browserB = avahiB.StartBrowser(ServiceType);
        // Published by the avahi on the node's own host: only multicast loopback carries it to the node.
        await using var publication = await avahiA.PublishAsync("same host", ServiceType, 7000, "txtvers=1", $"id={avahiDevice}", "proto=1");

        await Eventually.TrueAsync(
            async () => (await node.NearbyAsync()).Any(n => n.DeviceId == avahiDevice),
            Within,
            async () => $"nearby: {string.Join(", ", await node.NearbyAsync())}\n--- node log ---\n{node.Log}");
        var seen = await browserB.WaitForAsync(e => e.IsResolved && e.TxtValue("id") == node.DeviceId, Within, "avahi in B to resolve the node next to avahi A");
        Assert.Equal((ushort)node.Port, seen.Port);
        await browserB.WaitForAsync(e => e.IsResolved && e.InstanceName == "same host", Within, "avahi in B to resolve avahi A's own service");
    }

    [AvahiFact]
    public async Task NoMdns_NodeIsNeitherAnnouncedNorListening()
    {
        using var key = DeviceKey.FromSeed(Enumerable.Range(0, DeviceKey.SeedLength).Select(i => (byte)(i ^ 0x5a)).ToArray());
        var avahiDevice = key.Id.ToString();

        await using var lan = await NamespacePair.CreateAsync();
        await using var avahiB = await AvahiDaemon.StartAsync(lan.B);
        await using var browserB = avahiB.StartBrowser(ServiceType);
        await using var node = await NamespacedNode.StartAsync(lan.A, "silent", "--no-mdns");
        await using var publication = await avahiB.PublishAsync("visible", ServiceType, 7001, "txtvers=1", $"id={avahiDevice}", "proto=1");

        // A node with mDNS finds the published service in well under a second (see the other tests);
        // three seconds of nothing in both directions is a clear "off".
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            Assert.Empty(await node.NearbyAsync());
            await Task.Delay(200);
        }

        var (events, raw) = await avahiB.BrowseOnceAsync(ServiceType);
        Assert.DoesNotContain(events, e => e.TxtValue("id") == node.DeviceId);
        Assert.Contains(events, e => e.InstanceName == "visible");
        Assert.DoesNotContain("silent", browserB.Log, StringComparison.Ordinal);
        _output.WriteLine($"avahi-browse in B after 3 s: {raw.Stdout}");
    }
}
