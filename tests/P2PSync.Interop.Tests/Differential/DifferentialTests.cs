using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Oracle;
using P2PSync.Interop.Tests.Scripts;
using P2PSync.Interop.Tests.Support;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Differential;

/// <summary>
/// Seeded random multi-replica scenarios run in our CRDT and in yjs. Our replicas must converge,
/// and every replica's final content, state vector and full-state encodings (v1 and v2), as well
/// as every transaction's update, must equal what yjs produced for the same replica.
/// P2PSYNC_DIFF_SEEDS sets the number of seeds (default 1000); P2PSYNC_DIFF_SEED=n runs one seed
/// with a step-by-step trace.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class DifferentialTests(YjsOracle oracle, ITestOutputHelper output)
{
    private const int BatchSize = 40;
    private const int DetailedFailures = 3;

    [Fact]
    public void RandomScenariosMatchYjs()
    {
        var single = Environment.GetEnvironmentVariable("P2PSYNC_DIFF_SEED");
        var seeds = !string.IsNullOrEmpty(single)
            ? [int.Parse(single, CultureInfo.InvariantCulture)]
            : Enumerable.Range(1, SeedCount()).ToArray();

        var failures = new List<(int Seed, List<string> Diffs)>();
        foreach (var batch in seeds.Chunk(BatchSize))
        {
            var scenarios = batch.Select(s => ScenarioGenerator.Generate(s)).ToList();
            var results = oracle.Request("runScripts", new JsonObject
            {
                ["scripts"] = new JsonArray(scenarios.Select(s => (JsonNode?)s.Script.DeepClone()).ToArray()),
            }).AsArray();
            for (var i = 0; i < scenarios.Count; i++)
            {
                var diffs = Check(scenarios[i], results[i]!.AsObject());
                if (diffs.Count > 0)
                {
                    failures.Add((scenarios[i].Seed, diffs));
                }
            }
        }

        output.WriteLine($"{seeds.Length} seeds, {failures.Count} failed");
        if (failures.Count == 0)
        {
            return;
        }

        var report = new StringBuilder();
        var deep = failures.Where(f => !OnlyJsonText(f.Diffs)).ToList();
        var jsonOnly = failures.Where(f => OnlyJsonText(f.Diffs)).ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"{deep.Count} of {seeds.Length} seeds diverge from yjs in content, state vectors or bytes: {string.Join(", ", deep.Select(f => f.Seed).Take(50))}");
        report.AppendLine(CultureInfo.InvariantCulture, $"{jsonOnly.Count} of {seeds.Length} seeds differ only in toJSON text: {string.Join(", ", jsonOnly.Select(f => f.Seed).Take(50))}");
        foreach (var (seed, diffs) in deep.Concat(jsonOnly).Take(DetailedFailures))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"--- seed {seed}");
            foreach (var d in diffs.Take(6))
            {
                report.AppendLine("  " + d);
            }

            report.AppendLine(FirstDivergence(seed));
        }

        report.AppendLine("Rerun one seed with a step trace: P2PSYNC_DIFF_SEED=<seed> dotnet test tests/P2PSync.Interop.Tests --filter FullyQualifiedName~DifferentialTests");
        Assert.Fail(report.ToString());
    }

    private static int SeedCount()
    {
        var env = Environment.GetEnvironmentVariable("P2PSYNC_DIFF_SEEDS");
        return string.IsNullOrEmpty(env) ? 1000 : int.Parse(env, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Differences between our run and yjs's, plus convergence of our replicas. Where yjs itself
    /// does not converge (it keeps U+FFFD only on replicas that split a surrogate pair locally),
    /// ours must diverge in exactly the same way, which the per-replica comparison checks.
    /// </summary>
    private static List<string> Check(Scenario scenario, JsonObject yjs)
    {
        var diffs = ScriptComparison.Differences(yjs, scenario.Ours);
        if (Converged(yjs).Count == 0)
        {
            diffs.AddRange(Converged(scenario.Ours));
        }

        return diffs;
    }

    private static List<string> Converged(JsonObject result)
    {
        var diffs = new List<string>();
        if (result["error"] is not null)
        {
            return diffs;
        }

        var docs = result["docs"]!.AsArray();
        for (var i = 1; i < docs.Count; i++)
        {
            var d = JsonDiff.FirstDifference(docs[0]!["deep"], docs[i]!["deep"]);
            if (d is not null)
            {
                diffs.Add($"ours: replica {i} did not converge with replica 0 (yjs's replicas did): {d}");
            }

            if (docs[0]!["sv"]!.GetValue<string>() != docs[i]!["sv"]!.GetValue<string>())
            {
                diffs.Add($"ours: replica {i} has a different state vector than replica 0 (yjs's replicas agree)");
            }
        }

        return diffs;
    }

    /// <summary>A toJSON text difference alone (content, vectors and bytes equal) is reported apart from deeper ones.</summary>
    private static bool OnlyJsonText(IEnumerable<string> diffs) => diffs.All(d => d.Contains("toJSON text", StringComparison.Ordinal));

    /// <summary>Reruns a seed with tracing on both sides and describes the first step whose outcome differs.</summary>
    private string FirstDivergence(int seed)
    {
        var scenario = ScenarioGenerator.Generate(seed, trace: true);
        var path = Path.Combine(Path.GetTempPath(), $"p2psync-diff-seed-{seed}.json");
        File.WriteAllText(path, scenario.Script.ToJsonString());
        var yjs = oracle.Request("runScript", new JsonObject { ["script"] = scenario.Script.DeepClone() }).AsObject();
        var yTrace = yjs["trace"]!.AsArray();
        var oTrace = scenario.Ours["trace"]!.AsArray();
        var steps = scenario.Script["steps"]!.AsArray();
        var yUpdates = yjs["updates"]!.AsArray().ToDictionary(u => u!["step"]!.GetValue<int>(), u => u!);
        var oUpdates = scenario.Ours["updates"]!.AsArray().ToDictionary(u => u!["step"]!.GetValue<int>(), u => u!);

        var sb = new StringBuilder();
        string? firstJsonOnly = null;
        sb.AppendLine(CultureInfo.InvariantCulture, $"  script saved to {path} ({steps.Count} steps); replay it in yjs with: node tests/oracle/run-script.mjs {path} --trace");
        for (var i = 0; i < Math.Max(yTrace.Count, oTrace.Count); i++)
        {
            if (i >= yTrace.Count || i >= oTrace.Count)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  step {i} {Clip(steps[i]!.ToJsonString())}: only one side ran it; yjs error {JsonDiff.Short(yjs["error"])}, ours {JsonDiff.Short(scenario.Ours["error"])}");
                return sb.ToString();
            }

            var diffs = new List<string>();
            var doc = yTrace[i]!["doc"]!.GetValue<int>();
            if (yUpdates.TryGetValue(i, out var yu) && oUpdates.TryGetValue(i, out var ou))
            {
                ScriptComparison.CompareBytes("transaction update v1", yu["v1"], ou["v1"], diffs);
                ScriptComparison.CompareBytes("transaction update v2", yu["v2"], ou["v2"], diffs);
            }

            ScriptComparison.CompareSummary($"replica {doc}", yTrace[i]!.AsObject(), oTrace[i]!.AsObject(), diffs);
            if (diffs.Count > 0 && OnlyJsonText(diffs))
            {
                // keep looking for a deeper divergence; remember this one in case there is none
                firstJsonOnly ??= $"  first step that differs (toJSON text only): {i} {Clip(steps[i]!.ToJsonString())}\n    {diffs[0]}";
                continue;
            }

            if (diffs.Count > 0)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  first divergent step: {i} {Clip(steps[i]!.ToJsonString())}");
                foreach (var d in diffs.Take(6))
                {
                    sb.AppendLine("    " + d);
                }

                return sb.ToString();
            }
        }

        sb.AppendLine(firstJsonOnly ?? "  every traced step agrees; the difference is in the final encodings or targets");
        return sb.ToString();
    }

    private static string Clip(string s) => s.Length <= 1500 ? s : s[..1500] + "...";
}
