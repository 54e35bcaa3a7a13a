using System.Diagnostics;
using P2PSync.Interop.Tests.Node;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>Two of our nodes on a two-host LAN, no address typed anywhere: they find each other, connect, sync, and notice a goodbye.</summary>
[Collection("mdns namespaces")]
public sealed class NodeToNodeDiscoveryTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly ITestOutputHelper _output;

    public NodeToNodeDiscoveryTests(ITestOutputHelper output) => _output = output;

    [NetnsFact]
    public async Task TrustedNodes_FindEachOther_Connect_AndSyncADocument()
    {
        await using var lan = await NamespacePair.CreateAsync();
        await using var a = await NamespacedNode.StartAsync(lan.A, "node a");
        await using var b = await NamespacedNode.StartAsync(lan.B, "node b");
        // `peer add` WITHOUT --addr on both sides: the only way to each other is mDNS.
        await a.TrustViaCliAsync(b.DeviceId);
        await b.TrustViaCliAsync(a.DeviceId);

        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(
            async () => await a.IsConnectedToAsync(b.DeviceId) && await b.IsConnectedToAsync(a.DeviceId),
            Within,
            () => DescribeAsync(a, b));
        _output.WriteLine($"connected {clock.ElapsedMilliseconds} ms after both trusted each other");

        // b is listed as trusted, by name, with its IPv4 endpoint (which may arrive after its first address).
        await Eventually.TrueAsync(
            async () => (await a.NearbyAsync()).Any(n => n.DeviceId == b.DeviceId && n.Trusted && n.Name == "node b" && n.Endpoints.Contains($"{lan.B.Ipv4}:{b.Port}")),
            Within,
            () => DescribeAsync(a, b));

        var doc = await a.CreateDocAsync("found over mdns");
        await Eventually.TrueAsync(async () => await b.TextAsync(doc.Id) is not null, Within, () => DescribeAsync(a, b));
        await a.AppendAsync(doc.Id, "[from a]");
        await b.AppendAsync(doc.Id, "[from b]");
        await Eventually.TrueAsync(
            async () =>
            {
                var (ta, tb) = (await a.TextAsync(doc.Id), await b.TextAsync(doc.Id));
                return ta is not null && ta == tb && ta.Contains("[from a]", StringComparison.Ordinal) && ta.Contains("[from b]", StringComparison.Ordinal);
            },
            Within,
            async () => $"a: {await a.TextAsync(doc.Id)}\nb: {await b.TextAsync(doc.Id)}\n{await DescribeAsync(a, b)}");

        var cli = await a.CliAsync("peers", "--nearby");
        Assert.True(cli.ExitCode == 0, cli.Describe());
        Assert.Contains(b.DeviceId, cli.Stdout, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task StoppedNode_IsDroppedFromNearby_SoonAfterItsGoodbye()
    {
        await using var lan = await NamespacePair.CreateAsync();
        await using var a = await NamespacedNode.StartAsync(lan.A, "node a");
        await using var b = await NamespacedNode.StartAsync(lan.B, "node b");
        await Eventually.TrueAsync(
            async () => (await a.NearbyAsync()).Any(n => n.DeviceId == b.DeviceId),
            Within,
            () => DescribeAsync(a, b));

        // Neither trusts the other, so nothing but the goodbye can tell a that b has gone.
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, await b.StopAsync());
        var stopped = clock.Elapsed;
        await Eventually.TrueAsync(
            async () => (await a.NearbyAsync()).All(n => n.DeviceId != b.DeviceId),
            TimeSpan.FromSeconds(5),
            () => DescribeAsync(a, b));
        _output.WriteLine($"b exited {stopped.TotalMilliseconds:F0} ms after SIGTERM; a dropped it {clock.ElapsedMilliseconds} ms after SIGTERM");
    }

    private static async Task<string> DescribeAsync(params NamespacedNode[] nodes)
    {
        var parts = new List<string>();
        foreach (var node in nodes)
        {
            var nearby = node.HasExited ? "(exited)" : string.Join(", ", await node.NearbyAsync());
            parts.Add($"{node}: nearby [{nearby}]\n--- log ---\n{node.Log}");
        }

        return string.Join("\n", parts);
    }
}
