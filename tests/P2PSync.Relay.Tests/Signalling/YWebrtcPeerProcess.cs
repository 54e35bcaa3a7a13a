using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>
/// One node process running an unmodified y-webrtc WebrtcProvider (tests/oracle/ywebrtc-signal-peer.mjs)
/// against a signalling URL. It prints one JSON line once it has met every other peer and stays
/// in the room until its stdin is closed.
/// </summary>
internal sealed class YWebrtcPeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private YWebrtcPeerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public static YWebrtcPeerProcess Start(string signalUrl, string room, int otherPeers, string? password)
    {
        var script = Path.Combine(OracleScripts.Directory, "ywebrtc-signal-peer.mjs");
        Assert.True(File.Exists(Path.Combine(OracleScripts.Directory, "node_modules", "y-webrtc", "package.json")), "y-webrtc is not installed: run `npm ci` in tests/oracle");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = OracleScripts.Directory,
        };
        foreach (var arg in new[] { script, signalUrl, room, otherPeers.ToString(System.Globalization.CultureInfo.InvariantCulture), "20000", password ?? "" })
        {
            start.ArgumentList.Add(arg);
        }

        return new YWebrtcPeerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start node"));
    }

    /// <summary>The peer's report: its id, whether its signalling connection is up, the peers it met and whose SDP it received.</summary>
    public async Task<YWebrtcPeerReport> ReportAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null)
        {
            await _process.WaitForExitAsync();
            string stderr;
            lock (_stderr)
            {
                stderr = _stderr.ToString();
            }

            Assert.Fail($"y-webrtc peer exited {_process.ExitCode} without a report: {stderr}");
        }

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new YWebrtcPeerReport(
            root.GetProperty("peerId").GetString()!,
            root.GetProperty("connected").GetBoolean(),
            root.GetProperty("peers").EnumerateArray().Select(p => p.GetString()!).ToHashSet(),
            root.GetProperty("sdpFrom").EnumerateArray().Select(p => p.GetString()!).ToHashSet());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
