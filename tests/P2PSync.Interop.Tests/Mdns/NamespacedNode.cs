using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Support;
using P2PSync.Node.Api;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// A real <c>p2psync up</c> inside a network namespace (<c>ip netns exec NS dotnet p2psync.dll up
/// --port 0 --api-port 0</c>). Its API listens on the namespace's own 127.0.0.1, so the HTTP
/// client opens its sockets in that namespace (<see cref="NetnsSockets"/>).
/// </summary>
internal sealed class NamespacedNode : IAsyncDisposable
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ProcessLog _log;

    private NamespacedNode(NetworkNamespace ns, string name, Process process, ProcessLog log, string dataDirectory)
    {
        Namespace = ns;
        Name = name;
        _process = process;
        _log = log;
        DataDirectory = dataDirectory;
    }

    public NetworkNamespace Namespace { get; }

    public string Name { get; }

    public string DataDirectory { get; }

    public string DeviceId { get; private set; } = "";

    public int Port { get; private set; }

    public Uri ApiUrl { get; private set; } = new("http://127.0.0.1/");

    public HttpClient Http { get; private set; } = new();

    /// <summary>When the node printed its last banner line (it is up and its API answers).</summary>
    public TimeSpan UpAfter { get; private set; }

    public string Log => _log.Text;

    public bool HasExited => _process.HasExited;

    /// <summary>The host label the contract says a node publishes: p2psync- and the first 10 DeviceId characters, lower case.</summary>
    public string ExpectedHostLabel => "p2psync-" + DeviceId[..10].ToLowerInvariant();

    public static async Task<NamespacedNode> StartAsync(NetworkNamespace ns, string name, params string[] extraArgs)
    {
        var data = Directory.CreateTempSubdirectory("p2p-mdns-node-").FullName;
        var clock = Stopwatch.StartNew();
        var args = new[] { NodeProcess.CliDll, "up", "--data", data, "--port", "0", "--api-port", "0", "--name", name, "--verbose" }.Concat(extraArgs).ToArray();
        var process = Process.Start(ns.StartInfo("dotnet", args)) ?? throw new ExternalCommandException($"could not start a node in {ns.Name}");
        var log = ProcessLog.Attach(process);
        var node = new NamespacedNode(ns, name, process, log, data);
        try
        {
            await node.ReadBannerAsync();
            node.UpAfter = clock.Elapsed;
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>p2psync peer add ID</c> WITHOUT --addr, run by the CLI in the node's namespace: the node must find the device itself.</summary>
    public async Task TrustViaCliAsync(string deviceId)
    {
        var output = await Namespace.ExecAsync(CliTimeout, "dotnet", NodeProcess.CliDll, "peer", "add", deviceId, "--data", DataDirectory);
        Assert.Contains(deviceId, output, StringComparison.Ordinal);
    }

    /// <summary><c>p2psync peers --nearby</c> (or whatever the CLI prints for it), run in the node's namespace.</summary>
    public Task<CommandResult> CliAsync(params string[] args) =>
        CommandRunner.RunAsync("ip", new[] { "netns", "exec", Namespace.Name, "dotnet", NodeProcess.CliDll }.Concat(args).Concat(["--data", DataDirectory]), CliTimeout);

    public async Task<IReadOnlyList<NearbyEntry>> NearbyAsync()
    {
        var response = await Http.GetAsync("api/nearby");
        if (!response.IsSuccessStatusCode)
        {
            throw new ExternalCommandException($"GET /api/nearby answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<List<NearbyEntry>>())!;
    }

    public Task<StatusView> StatusAsync() => Http.StatusAsync();

    /// <summary>True when the node reports <paramref name="deviceId"/> as a connected peer.</summary>
    public async Task<bool> IsConnectedToAsync(string deviceId) =>
        (await StatusAsync()).Peers.Any(p => p.DeviceId == deviceId && p.Connected);

    public Task<DocView> CreateDocAsync(string name) => Http.CreateDocAsync(name);

    public Task AppendAsync(string docId, string text) => Http.AppendAsync(docId, text);

    /// <summary>The document's text, or null while this node does not have it.</summary>
    public async Task<string?> TextAsync(string docId) => (await Http.DocAsync(docId))?.Text;

    /// <summary>SIGTERM (graceful: the node says goodbye on mDNS), then waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            await CommandRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    public override string ToString() => $"node {Name} {(DeviceId.Length >= 8 ? DeviceId[..8] : "?")} in {Namespace.Name} port {Port}";

    private async Task ReadBannerAsync()
    {
        // The banner is "key value" lines on stdout; the node logs to stderr. Both land in the log.
        var deadline = TimeSpan.FromSeconds(60);
        await _log.WaitForLineAsync(_process, l => l.StartsWith("api ", StringComparison.Ordinal), deadline, $"{Name}'s banner in {Namespace.Name}");
        foreach (var line in _log.Text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                continue;
            }

            var (key, value) = (line[..space], line[(space + 1)..]);
            switch (key)
            {
                case "device" when DeviceId.Length == 0:
                    DeviceId = value;
                    break;
                case "port" when Port == 0:
                    Port = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "api" when ApiUrl.Port == 80:
                    ApiUrl = new Uri(value);
                    break;
            }
        }

        if (DeviceId.Length == 0 || Port == 0 || ApiUrl.Port == 80)
        {
            throw new ExternalCommandException($"{Name}: incomplete banner\n{Log}");
        }

        Http = NetnsSockets.CreateHttpClient(Namespace.Name, ApiUrl);
    }
}
