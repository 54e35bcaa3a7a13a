using System.Diagnostics;
using System.Text.Json;

namespace P2PSync.Bench;

/// <summary>Runs bench/yjs/trace-bench.mjs under node for one trace and reads its JSON line.</summary>
internal static class YjsTraceBench
{
    public static ImplementationResult Run(string repoRoot, string node, string tracePath, int runs)
    {
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repoRoot,
        };
        start.ArgumentList.Add("--expose-gc");
        start.ArgumentList.Add(Path.Combine(repoRoot, "bench", "yjs", "trace-bench.mjs"));
        start.ArgumentList.Add(tracePath);
        start.ArgumentList.Add(runs.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {node}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var measured = new List<TraceRun>();
        foreach (var run in root.GetProperty("runs").EnumerateArray())
        {
            measured.Add(new TraceRun(
                run.GetProperty("applyMs").GetDouble(),
                run.GetProperty("encodeMs").GetDouble(),
                run.GetProperty("loadMs").GetDouble(),
                run.GetProperty("updateBytes").GetInt64(),
                run.GetProperty("heapBytes").GetInt64()));
        }

        return new ImplementationResult(measured, root.GetProperty("updateSha256").GetString() ?? "");
    }

    /// <summary>The version string of <paramref name="node"/>, for the report header.</summary>
    public static string NodeVersion(string node)
    {
        var start = new ProcessStartInfo(node, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start);
        if (process is null)
        {
            return "unknown";
        }

        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }
}
