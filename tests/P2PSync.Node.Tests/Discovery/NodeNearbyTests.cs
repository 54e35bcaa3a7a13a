using P2PSync.Node.Tests.Storage;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Api;
using P2PSync.Node.Discovery;
using P2PSync.Node.Hosting;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Tests.Transport;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>
/// The node wired to a peer finder (a hand-driven one: these run on loopback only): GET
/// /api/nearby, `p2psync peers [--nearby]`, and trusted devices dialed at found endpoints.
/// </summary>
public sealed class NodeNearbyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task NearbyApi_ListsEveryDevice_WithTrustedFlagEndpointsAndLastSeen()
    {
        var finder = new FakePeerFinder();
        await using var node = await RunningNode.StartAsync(finder);
        var (trusted, stranger) = (Id(1), Id(2));
        await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(trusted.ToString(), []));
        var seen = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        finder.Appear(new PeerSighting(trusted, "laptop", [new IPEndPoint(IPAddress.Parse("192.0.2.1"), 7420), new IPEndPoint(IPAddress.Parse("fe80::1"), 7420)], 1, seen));
        finder.Appear(new PeerSighting(stranger, "kiosk", [new IPEndPoint(IPAddress.Parse("192.0.2.2"), 7000)], 1, seen));

        var nearby = await node.Http.GetFromJsonAsync<List<NearbyView>>("api/nearby");

        Assert.NotNull(nearby);
        Assert.Equal(["kiosk", "laptop"], nearby.Select(n => n.Name));
        Assert.Equal((stranger.ToString(), false, seen), (nearby[0].DeviceId, nearby[0].Trusted, nearby[0].LastSeen));
        Assert.Equal(["192.0.2.2:7000"], nearby[0].Endpoints);
        Assert.True(nearby[1].Trusted);
        Assert.Equal(["192.0.2.1:7420", "[fe80::1]:7420"], nearby[1].Endpoints);
        var json = await node.Http.GetStringAsync("api/nearby");
        Assert.Contains("\"deviceId\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lastSeen\":\"2026-11-22T06:00:00+00:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NearbyApi_WithDiscoveryOff_IsAnEmptyList()
    {
        await using var node = await RunningNode.StartAsync(finder: null);

        Assert.Equal("[]", await node.Http.GetStringAsync("api/nearby"));
    }

    [Fact]
    public async Task TrustedNodes_WithNoAddressTyped_ConnectAsSoonAsOneSeesTheOther()
    {
        var finderOfB = new FakePeerFinder();
        await using var a = await RunningNode.StartAsync(new FakePeerFinder());
        await using var b = await RunningNode.StartAsync(finderOfB);
        a.Host.Peers.Add(b.Host.DeviceId, []);
        b.Host.Peers.Add(a.Host.DeviceId, []);
        await Task.Delay(200);
        Assert.Empty(b.Host.ConnectedDevices());

        var clock = Stopwatch.StartNew();
        finderOfB.Appear(new PeerSighting(DeviceId.Parse(a.Host.DeviceId), "a", [new IPEndPoint(IPAddress.Loopback, a.Host.ListenPort!.Value)], 1, DateTimeOffset.UnixEpoch));
        await WaitUntilAsync(() => b.Host.ConnectedDevices().Contains(a.Host.DeviceId) && a.Host.ConnectedDevices().Contains(b.Host.DeviceId));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"connected after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task PeersNearby_PrintsATableThroughTheRunningNodesApi()
    {
        var finder = new FakePeerFinder();
        await using var node = await RunningNode.StartAsync(finder);
        var (trusted, stranger) = (Id(3), Id(4));
        node.Host.Peers.Add(trusted.ToString(), []);
        finder.Appear(new PeerSighting(trusted, "desk pc", [new IPEndPoint(IPAddress.Parse("192.0.2.3"), 7420)], 1, DateTimeOffset.UnixEpoch));
        finder.Appear(new PeerSighting(stranger, "phone", [new IPEndPoint(IPAddress.Parse("192.0.2.4"), 7420)], 1, DateTimeOffset.UnixEpoch));

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(node.DataDirectory), "peers", "--nearby", "--data", node.DataDirectory);

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Matches($"^desk pc +{trusted} +192\\.0\\.2\\.3:7420 +yes +1970-01-01 00:00:00Z$", lines[1]);
        Assert.Matches($"^phone +{stranger} +192\\.0\\.2\\.4:7420 +no ", lines[2]);
    }

    [Fact]
    public async Task PeersNearby_WithoutARunningNode_SaysSoAndFails()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "peers", "--nearby", "--data", dir.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no node is running", run.Error, StringComparison.Ordinal);
        Assert.Contains("p2psync up", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Peers_ListsTrustedDevices_OnlineOrOffline_AndSaysWhenNoNodeRuns()
    {
        var trusted = Id(5);
        string data;
        await using (var node = await RunningNode.StartAsync(finder: null))
        {
            data = node.DataDirectory;
            var empty = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(data), "peers", "--data", data);
            Assert.Contains("no trusted devices", empty.Output, StringComparison.Ordinal);

            node.Host.Peers.Add(trusted.ToString(), ["192.0.2.5:7420"]);
            var running = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(data), "peers", "--data", data);
            Assert.True(running.ExitCode == 0, running.Error);
            Assert.Matches($"^- +{trusted} +offline +- +192\\.0\\.2\\.5:7420 +never$", running.Output.Split('\n')[1]);

            var stopped = await RunningNode.StopKeepingDataAsync(node);
            var offline = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(stopped), "peers", "--data", stopped);
            Assert.True(offline.ExitCode == 0, offline.Error);
            Assert.Contains("node not running", offline.Output, StringComparison.Ordinal);
            Assert.Contains(trusted.ToString(), offline.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Up_WithNoMdns_SaysSoInItsBanner()
    {
        using var dir = new TempDirectory();

        // UpRun adds --no-mdns itself (no test multicasts on the host).
        var run = await P2PSync.Node.Tests.Cli.UpRun.UntilUpThenStopAsync(CliRun.EmptyEnvironment(dir.Path), "up", "--data", dir.Path, "--port", "0", "--no-mdns");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\nmdns off\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_FollowsTheContract_HostLabelTxtAndAFallbackForABlankName()
    {
        var id = Id(6);

        var profile = NodeHost.Profile("  Alice's laptop ", id, 7420);
        var blank = NodeHost.Profile(" ", id, 7420);

        var host = "p2psync-" + id.ToString()[..10].ToLowerInvariant();
        Assert.Equal("Alice's laptop", profile.InstanceName);
        Assert.Equal(host, profile.HostLabel);
        Assert.Equal(7420, profile.Port);
        Assert.Equal("1", profile.Txt["txtvers"]);
        Assert.Equal(id.ToString(), profile.Txt["id"]);
        Assert.Equal(P2PSync.Node.Sync.SyncProtocolVersion.Current.ToString(System.Globalization.CultureInfo.InvariantCulture), profile.Txt["proto"]);
        Assert.Equal(host, blank.InstanceName);
    }

    private static DeviceId Id(int seed) => TestDevices.Make(seed);

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.HoldsAsync(condition, Patience);

    /// <summary>A node in-process: TCP and API on loopback, the given finder instead of mDNS.</summary>
    private sealed class RunningNode : IAsyncDisposable
    {
        private readonly TempDirectory _dir;
        private bool _stopped;

        private RunningNode(TempDirectory dir, NodeHost host)
        {
            _dir = dir;
            Host = host;
            Http = new HttpClient { BaseAddress = host.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        }

        public NodeHost Host { get; }

        public HttpClient Http { get; }

        public string DataDirectory => _dir.Path;

        public static async Task<RunningNode> StartAsync(IPeerFinder? finder)
        {
            var dir = new TempDirectory();
            var options = new NodeOptions { DataDirectory = dir.Path, ApiPort = 0, ListenPort = 0, DeviceName = "test", Finder = finder };
            var host = await NodeHost.StartAsync(options, TimeProvider.System, new Random(7), NullLoggerFactory.Instance, CancellationToken.None);
            return new RunningNode(dir, host);
        }

        /// <summary>Stops the node but keeps its data directory until dispose; returns the directory.</summary>
        public static async Task<string> StopKeepingDataAsync(RunningNode node)
        {
            node._stopped = true;
            node.Http.Dispose();
            await node.Host.DisposeAsync();
            return node.DataDirectory;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stopped)
            {
                Http.Dispose();
                await Host.DisposeAsync();
            }

            _dir.Dispose();
        }
    }
}
