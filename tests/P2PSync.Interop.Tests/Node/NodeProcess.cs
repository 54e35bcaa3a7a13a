using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using P2PSync.Interop.Tests.Support;
using P2PSync.Node.Api;

namespace P2PSync.Interop.Tests.Node;

/// <summary>
/// A real <c>p2psync up</c> process on loopback (<c>--port 0 --api-port 0</c>), with its data
/// directory, the facts it printed, its stderr log (for failure messages) and an API client.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly bool _ownsDirectory;

    private NodeProcess(Process process, string dataDirectory, bool ownsDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    public string DataDirectory { get; }

    public string DeviceId { get; private set; } = "";

    public int Port { get; private set; }

    public Uri ApiUrl { get; private set; } = new("http://127.0.0.1/");

    public HttpClient Http { get; private set; } = new();

    public int Pid => _process.Id;

    public string Address => $"127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The built p2psync.dll (copied next to the tests by the project reference).</summary>
    public static string CliDll => typeof(P2PSync.Node.Hosting.NodeHost).Assembly.Location;

    /// <summary>Starts a node; <paramref name="dataDirectory"/> null = a fresh temp directory deleted on dispose.</summary>
    /// <param name="extraArgs">More `up` options (e.g. --offer-timeout 3).</param>
    public static async Task<NodeProcess> StartAsync(string name, string? dataDirectory = null, int port = 0, params string[] extraArgs)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "p2psync-node-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // --no-mdns: these tests dial by address; a test must never multicast on the host's network.
        // --no-webrtc unless the test binds WebRTC itself (--webrtc-bind): ICE would gather on every interface.
        string[] webRtc = extraArgs.Contains("--webrtc-bind") ? [] : ["--no-webrtc"];
        foreach (var arg in new[] { CliDll, "up", "--data", dataDirectory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--api-port", "0", "--name", name, "--verbose", "--no-mdns" }.Concat(webRtc).Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var node = new NodeProcess(process, dataDirectory, owns);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (node._log)
                {
                    node._log.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        await node.ReadBannerAsync();
        return node;
    }

    public Task<DocView> CreateDocAsync(string name) => Http.CreateDocAsync(name);

    public Task AppendAsync(string docId, string text) => Http.AppendAsync(docId, text);

    public async Task RenameAsync(string docId, string name)
    {
        var response = await Http.PostAsJsonAsync($"api/docs/{docId}/rename", new RenameRequest(name));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The document's name, or null while this node does not have the document.</summary>
    public async Task<string?> NameAsync(string docId) => (await Http.DocAsync(docId))?.Name;

    /// <summary>The document's text, or null while this node does not have the document.</summary>
    public async Task<string?> TextAsync(string docId) => (await Http.DocAsync(docId))?.Text;

    public async Task TrustAsync(NodeProcess other, bool withAddress = true)
    {
        var response = await Http.PostAsJsonAsync("api/peers", new AddPeerRequest(other.DeviceId, withAddress ? [other.Address] : []));
        response.EnsureSuccessStatusCode();
    }

    public Task<StatusView> StatusAsync() => Http.StatusAsync();

    /// <summary>SIGTERM, then waits for the graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder must not fail a test.
            }
        }
    }

    private async Task ReadBannerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ApiUrl.Port == 80 || DeviceId.Length == 0 || Port == 0)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"p2psync up exited before it was up:\n{Log}");
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                continue;
            }

            var (key, value) = (line[..space], line[(space + 1)..]);
            switch (key)
            {
                case "device":
                    DeviceId = value;
                    break;
                case "port":
                    Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "api":
                    ApiUrl = new Uri(value);
                    break;
            }
        }

        Http = new HttpClient { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
    }
}
