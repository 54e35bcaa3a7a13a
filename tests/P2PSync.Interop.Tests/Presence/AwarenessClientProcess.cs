using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.Presence;

/// <summary>
/// An npm y-websocket client (ywebsocket-awareness.mjs) on a node's /yjs endpoint: it shows a user
/// name and cursor in its awareness and reports, on every change, the other states it sees.
/// </summary>
internal sealed class AwarenessClientProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly System.Text.StringBuilder _log = new();
    private IReadOnlyList<SeenAwareness> _seen = [];

    private AwarenessClientProcess(Process process, string user)
    {
        _process = process;
        User = user;
    }

    public string User { get; }

    /// <summary>The other clients' states in the latest report.</summary>
    public IReadOnlyList<SeenAwareness> Seen
    {
        get
        {
            lock (_gate)
            {
                return _seen;
            }
        }
    }

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<AwarenessClientProcess> StartAsync(NodeProcess node, string docId, string user, int cursor)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Bare imports ('yjs', 'y-websocket') resolve from the working directory for stdin scripts.
            WorkingDirectory = RepoPaths.Oracle,
        };
        start.ArgumentList.Add("--input-type=module");
        start.Environment["WS_SERVER"] = $"ws://127.0.0.1:{node.ApiUrl.Port}/yjs";
        start.Environment["WS_ROOM"] = docId;
        start.Environment["WS_USER"] = user;
        start.Environment["WS_CURSOR"] = cursor.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var client = new AwarenessClientProcess(process, user);
        process.OutputDataReceived += (_, e) => client.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (client._gate)
            {
                client._log.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var script = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "P2PSync.Interop.Tests", "Presence", "ywebsocket-awareness.mjs"));
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        return client;
    }

    /// <summary>Waits until the latest report satisfies <paramref name="condition"/>; returns how long that took.</summary>
    public async Task<TimeSpan> WaitUntilAsync(Func<IReadOnlyList<SeenAwareness>, bool> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Seen))
        {
            if (clock.Elapsed > within)
            {
                Assert.Fail($"{User} did not see {what} within {within.TotalSeconds} s; it sees [{string.Join(", ", Seen)}]\n--- client log ---\n{Log}");
            }

            await Task.Delay(20);
        }

        return clock.Elapsed;
    }

    /// <summary>SIGTERM: the client leaves as an app does (y-websocket sends its removal), then exits.</summary>
    public async Task DisconnectAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
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

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        using var report = JsonDocument.Parse(line);
        var seen = report.RootElement.GetProperty("states").EnumerateArray().Select(SeenAwareness.From).ToList();
        lock (_gate)
        {
            _seen = seen;
        }
    }
}
