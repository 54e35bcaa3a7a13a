using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Interop.Tests.Relay;

namespace P2PSync.Interop.Tests.YWebRtc;

/// <summary>
/// Our relay (P2PSync.Relay) inside a network namespace, on that namespace's 127.0.0.1, so the
/// browsers and the node in the same namespace reach its /signal and nothing outside does.
/// </summary>
internal sealed class NamespacedRelay : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _data;

    private NamespacedRelay(Process process, int port, string data)
    {
        _process = process;
        Port = port;
        _data = data;
    }

    public int Port { get; }

    /// <summary>The relay's base URL (what `up --relay` takes).</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>What y-webrtc's <c>signaling</c> option takes.</summary>
    public Uri SignalUrl => new($"ws://127.0.0.1:{Port}/signal");

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

    public static async Task<NamespacedRelay> StartAsync(NetworkNamespace ns)
    {
        var port = FreePort(ns.Name);
        var data = Directory.CreateTempSubdirectory("p2p-ywebrtc-relay-").FullName;
        var start = ns.StartInfo("dotnet", RelayProcess.Dll, "--urls", $"http://127.0.0.1:{port}", "--data", data);
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the relay in {ns.Name}");
        var relay = new NamespacedRelay(process, port, data);
        process.OutputDataReceived += (_, e) => relay.Append(e.Data);
        process.ErrorDataReceived += (_, e) => relay.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = NetnsSockets.CreateHttpClient(ns.Name, relay.Url);
        http.Timeout = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri("health", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return relay;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await relay.DisposeAsync();
                throw new InvalidOperationException($"the relay did not come up in {ns.Name} on port {port}:\n{relay.Log}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder must not fail a test
        }
    }

    /// <summary>A port free on the namespace's loopback (asked of the kernel there, then released for the relay).</summary>
    private static int FreePort(string ns)
    {
        using var socket = NetnsSockets.CreateTcpSocket(ns, AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
