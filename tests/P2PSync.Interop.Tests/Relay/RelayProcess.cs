using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace P2PSync.Interop.Tests.Relay;

/// <summary>A real relay process (`P2PSync.Relay.dll --urls http://127.0.0.1:PORT --data DIR`), its output captured, killed on dispose.</summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RelayProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Everything the relay printed (stdout and stderr).</summary>
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

    /// <summary>The built relay (copied next to the tests by the project reference).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "P2PSync.Relay.dll");

    /// <summary>Starts a relay on a free loopback port (or <paramref name="port"/>) and waits until /health answers.</summary>
    public static async Task<RelayProcess> StartAsync(string dataDirectory, int port = 0)
    {
        if (port == 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Dll, "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var relay = new RelayProcess(process, port, dataDirectory);
        process.OutputDataReceived += (_, e) => relay.Append(e.Data);
        process.ErrorDataReceived += (_, e) => relay.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(relay.Url, "/health"))).IsSuccessStatusCode)
                {
                    return relay;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                await relay.DisposeAsync();
                throw new InvalidOperationException($"the relay did not come up on port {port}:\n{relay.Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM and wait for the graceful exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
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
