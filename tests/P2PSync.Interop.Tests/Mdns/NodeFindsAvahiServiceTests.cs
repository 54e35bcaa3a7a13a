using System.Diagnostics;
using P2PSync.Interop.Tests.Node;
using P2PSync.Node.Identity;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>Our browser, fed by avahi: a service avahi-publish announces in namespace B shows up in GET /api/nearby of our node in A.</summary>
[Collection("mdns namespaces")]
public sealed class NodeFindsAvahiServiceTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;

    public NodeFindsAvahiServiceTests(ITestOutputHelper output) => _output = output;

    [AvahiFact]
    public async Task AvahiPublishedDevice_IsNearbyButUntrusted_AndGoesWhenWithdrawn()
    {
        // A real DeviceId (from a fixed seed), so the node accepts the TXT record as one of ours.
        var seed = Enumerable.Range(0, DeviceKey.SeedLength).Select(i => (byte)(i * 7 + 3)).ToArray();
        using var key = DeviceKey.FromSeed(seed);
        var deviceId = key.Id.ToString();

        await using var lan = await NamespacePair.CreateAsync();
        await using var avahi = await AvahiDaemon.StartAsync(lan.B);
        await using var node = await NamespacedNode.StartAsync(lan.A, "node a");
        await using var publication = await avahi.PublishAsync("avahi device", "_p2psync._tcp", 7777, "txtvers=1", $"id={deviceId}", "proto=1");
        var clock = Stopwatch.StartNew();

        // Found may fire with the first address known (AAAA or A); wait until the IPv4 one is there too.
        var v4Endpoint = $"{lan.B.Ipv4}:7777";
        NearbyEntry? seen = null;
        await Eventually.TrueAsync(
            async () => (seen = (await node.NearbyAsync()).FirstOrDefault(n => n.DeviceId == deviceId && n.Endpoints.Contains(v4Endpoint))) is not null,
            Within,
            async () => $"nearby: {string.Join(", ", await node.NearbyAsync())}\n--- avahi-publish ---\n{publication.Log}\n--- node log ---\n{node.Log}");
        _output.WriteLine($"our node listed the avahi service {clock.ElapsedMilliseconds} ms after avahi established it");

        Assert.Equal("avahi device", seen!.Name);
        Assert.False(seen.Trusted);
        Assert.All(seen.Endpoints, e => Assert.EndsWith(":7777", e, StringComparison.Ordinal));
        // Untrusted devices are shown, never dialled: the node has no peer entry for it.
        Assert.DoesNotContain((await node.StatusAsync()).Peers, p => p.DeviceId == deviceId);

        // The CLI's view of the same thing.
        var cli = await node.CliAsync("peers", "--nearby");
        Assert.True(cli.ExitCode == 0, cli.Describe());
        Assert.Contains(deviceId, cli.Stdout, StringComparison.Ordinal);

        // avahi-publish stopping makes avahi send goodbyes; our browser must drop the device.
        var stop = Stopwatch.StartNew();
        await publication.StopAsync();
        await Eventually.TrueAsync(
            async () => (await node.NearbyAsync()).All(n => n.DeviceId != deviceId),
            TimeSpan.FromSeconds(5),
            async () => $"still nearby: {string.Join(", ", await node.NearbyAsync())}\n--- node log ---\n{node.Log}");
        _output.WriteLine($"our node dropped it {stop.ElapsedMilliseconds} ms after avahi-publish was stopped");
    }
}
