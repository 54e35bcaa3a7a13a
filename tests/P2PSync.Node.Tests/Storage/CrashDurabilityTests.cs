using System.Diagnostics;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Storage;

/// <summary>
/// "Acknowledged is never lost": a child process appends in a loop and is killed with SIGKILL
/// at several points; after each kill the store reopens and holds every acknowledged append.
/// </summary>
public sealed class CrashDurabilityTests
{
    private readonly ITestOutputHelper output;

    public CrashDurabilityTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public async Task KillDashNine_WhileAppending_EveryAcknowledgedAppendSurvives()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        string docId;
        using (var store = NodeStore.Open(path))
        {
            docId = store.Documents.Create("crash target").Id;
        }

        // Kill after this many acknowledgements; the child also compacts every 25 appends, so
        // later kill points can land in the middle of a compaction.
        var killPoints = new[] { 1, 17, 60, 140, 260 };
        var acknowledged = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var run = 0; run < killPoints.Length; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            var acks = await RunAndKill(path, docId, clientId: (ulong)(1000 + run), run, killPoints[run]);
            stopwatch.Stop();
            foreach (var (token, seq) in acks)
            {
                acknowledged.Add(token, seq);
            }

            using var reopened = NodeStore.Open(path);
            var loaded = reopened.Documents.Load(docId);
            var text = TextUpdates.TextOf(loaded.Doc);
            var missing = acknowledged.Keys.Where(token => !text.Contains(token, StringComparison.Ordinal)).ToList();
            Assert.True(missing.Count == 0, $"run {run}: {missing.Count} acknowledged appends lost, e.g. {string.Join(", ", missing.Take(5))}");
            Assert.True(loaded.HeadSeq >= acknowledged.Values.Max(), $"run {run}: head seq {loaded.HeadSeq} below an acknowledged seq");
            Assert.Equal(acknowledged.Count, acknowledged.Values.Distinct().Count());
            output.WriteLine($"run {run}: killed after {acks.Count} acks ({stopwatch.ElapsedMilliseconds} ms incl. startup); head seq {loaded.HeadSeq}, snapshot seq {reopened.Documents.Get(docId)!.SnapshotSeq}");
        }
    }

    private static async Task<List<(string Token, long Seq)>> RunAndKill(string path, string docId, ulong clientId, int run, int killAfter)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "p2psync.dll"));
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        start.Environment[AppendLoopChild.EnvironmentVariable] = $"{path}|{docId}|{clientId}|{run}";

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
        var errors = child.StandardError.ReadToEndAsync();
        var acks = new List<(string Token, long Seq)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (acks.Count < killAfter)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"child exited early: {await errors}");
                AddAck(acks, line);
            }
        }
        finally
        {
            // SIGKILL: no finally blocks, no Dispose, no checkpoint in the child.
            child.Kill(entireProcessTree: true);
        }

        await child.WaitForExitAsync(timeout.Token);

        // Lines the child printed before it died are acknowledgements too.
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            AddAck(acks, line);
        }

        return acks;
    }

    private static void AddAck(List<(string Token, long Seq)> acks, string line)
    {
        var fields = line.Split(' ');
        if (fields is ["ack", var token, var seq])
        {
            acks.Add((token, long.Parse(seq, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
