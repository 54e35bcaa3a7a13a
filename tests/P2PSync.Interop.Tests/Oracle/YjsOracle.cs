using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Oracle;

/// <summary>
/// One long-lived <c>node tests/oracle/server.mjs</c> process per test run, spoken to with
/// one JSON request per line (see tests/oracle/README.md). Keeping one process alive is what
/// makes thousands of differential checks affordable: node's start-up costs more than a check.
/// </summary>
public sealed class YjsOracle : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(3);

    private readonly object gate = new();
    private readonly StringBuilder stderr = new();
    private readonly Process process;
    private long nextId;

    public YjsOracle()
    {
        var oracleDir = RepoPaths.Oracle;
        if (!File.Exists(Path.Combine(oracleDir, "node_modules", "yjs", "package.json")))
        {
            throw new InvalidOperationException(
                $"The yjs oracle is not installed: {Path.Combine(oracleDir, "node_modules")} is missing. " +
                "Run ./test.sh or `npm ci` in tests/oracle.");
        }

        var start = new ProcessStartInfo(FindNode())
        {
            WorkingDirectory = oracleDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("server.mjs");
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        // stderr is drained continuously so a chatty node can never block on a full pipe.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                if (stderr.Length < 64 * 1024)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        var ping = Request("ping");
        YjsVersion = ping["yjs"]!.GetValue<string>();
        if (YjsVersion != "13.6.33")
        {
            throw new InvalidOperationException($"The oracle must be yjs 13.6.33, found {YjsVersion}. Run `npm ci` in tests/oracle.");
        }
    }

    /// <summary>The yjs version the oracle process loaded.</summary>
    public string YjsVersion { get; }

    /// <summary>Sends one command and returns its <c>result</c>; an oracle-side error becomes an exception.</summary>
    public JsonNode Request(string cmd, JsonObject? args = null)
    {
        var request = args is null ? new JsonObject() : (JsonObject)args.DeepClone();
        lock (gate)
        {
            var id = ++nextId;
            request["id"] = id;
            request["cmd"] = cmd;
            process.StandardInput.WriteLine(request.ToJsonString());
            process.StandardInput.Flush();

            var read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(RequestTimeout))
            {
                // A hung oracle cannot be resynchronised; later requests fail fast instead of waiting again.
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The yjs oracle did not answer '{cmd}' within {RequestTimeout}. stderr:\n{Stderr()}");
            }

            var line = read.Result ?? throw new InvalidOperationException(
                $"The yjs oracle exited while handling '{cmd}'. stderr:\n{Stderr()}");
            var response = JsonNode.Parse(line, documentOptions: new JsonDocumentOptions { MaxDepth = 512 })!.AsObject();
            if (response["id"]?.GetValue<long>() != id)
            {
                throw new InvalidOperationException($"The yjs oracle answered out of order: {Truncate(line)}");
            }

            if (response["ok"]?.GetValue<bool>() != true)
            {
                throw new OracleException(cmd, response["error"]?.ToString() ?? Truncate(line));
            }

            return response["result"] ?? JsonValue.Create((string?)null)!;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(5000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }

    private string Stderr()
    {
        lock (stderr)
        {
            return stderr.ToString();
        }
    }

    private static string Truncate(string s) => s.Length <= 2000 ? s : s[..2000] + "...";

    private static string FindNode()
    {
        var fromEnv = Environment.GetEnvironmentVariable("P2PSYNC_NODE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("node is not on PATH (set P2PSYNC_NODE to its path). The interop tests need Node.js 20+.");
    }
}
