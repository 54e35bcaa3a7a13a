using System.Globalization;
using System.Text;

namespace P2PSync.Bench;

/// <summary>Writes the comparison as markdown: the goal verdict, a table of ratios, then the raw medians.</summary>
internal static class MarkdownReport
{
    /// <summary>The trace the project's performance goal is stated against.</summary>
    public const string GoalTrace = "automerge-paper.json.gz";

    public static string Build(IReadOnlyList<TraceComparison> results, BenchEnvironment environment)
    {
        var md = new StringBuilder();
        md.AppendLine("# P2PSync.Crdt vs yjs on real editing traces");
        md.AppendLine();
        md.AppendLine(Invariant($"Measured {environment.When:yyyy-MM-dd HH:mm} UTC on {environment.Cores} cores, {environment.Os}, .NET {environment.DotNet}, node {environment.Node}, yjs 13.6.33."));
        md.AppendLine(Invariant($"Every number is the median of {environment.Runs} runs after one warm-up run; ours and yjs ran in the same `bench/run.sh` invocation, one trace after the other."));
        md.AppendLine("Apply = replaying the trace into a fresh doc (one transaction per trace txn); encode = `encodeStateAsUpdate`;");
        md.AppendLine("load = applying that update to a fresh doc; memory = heap retained by the replayed doc after a full GC");
        md.AppendLine("(.NET managed heap vs V8 heap used). Both sides use client id 1 and gc on.");
        md.AppendLine();
        AppendGoal(md, results);
        md.AppendLine("## Ratios");
        md.AppendLine();
        md.AppendLine("Time: yjs / ours (higher is better, goal >= 3). Size and memory: ours / yjs (lower is better, goal <= 1; size goal = 1).");
        md.AppendLine();
        md.AppendLine("| trace | apply | encode | load | update size | memory | same update bytes |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            if (!r.Complete)
            {
                md.AppendLine(Invariant($"| {r.Trace} | failed: {Escape(r.OursError ?? r.YjsError)} | | | | | |"));
                continue;
            }

            var (o, y) = (r.Ours!, r.Yjs!);
            md.AppendLine(Invariant(
                $"| {r.Trace} | {TraceComparison.Speedup(y.ApplyMs, o.ApplyMs):0.00}x | {TraceComparison.Speedup(y.EncodeMs, o.EncodeMs):0.00}x | {TraceComparison.Speedup(y.LoadMs, o.LoadMs):0.00}x | {o.UpdateBytes / y.UpdateBytes:0.000} | {o.HeapBytes / y.HeapBytes:0.00} | {(o.UpdateSha256 == y.UpdateSha256 ? "yes" : "no")} |"));
        }

        md.AppendLine();
        md.AppendLine("## Raw numbers (medians)");
        md.AppendLine();
        md.AppendLine("| trace | apply ms ours | apply ms yjs | encode ms ours | encode ms yjs | load ms ours | load ms yjs | update bytes ours | update bytes yjs | heap bytes ours | heap bytes yjs |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            md.AppendLine(Invariant(
                $"| {r.Trace} | {Ms(r.Ours?.ApplyMs)} | {Ms(r.Yjs?.ApplyMs)} | {Ms(r.Ours?.EncodeMs)} | {Ms(r.Yjs?.EncodeMs)} | {Ms(r.Ours?.LoadMs)} | {Ms(r.Yjs?.LoadMs)} | {Count(r.Ours?.UpdateBytes)} | {Count(r.Yjs?.UpdateBytes)} | {Count(r.Ours?.HeapBytes)} | {Count(r.Yjs?.HeapBytes)} |"));
        }

        var failures = results.Where(r => !r.Complete).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Failures");
            md.AppendLine();
            foreach (var r in failures)
            {
                if (r.OursError is not null)
                {
                    md.AppendLine($"- {r.Trace}, ours: {Escape(r.OursError)}");
                }

                if (r.YjsError is not null)
                {
                    md.AppendLine($"- {r.Trace}, yjs: {Escape(r.YjsError)}");
                }
            }
        }

        return md.ToString();
    }

    private static void AppendGoal(StringBuilder md, IReadOnlyList<TraceComparison> results)
    {
        var goal = results.FirstOrDefault(r => r.Trace == GoalTrace);
        md.AppendLine("## Goal (automerge-paper)");
        md.AppendLine();
        if (goal is null || !goal.Complete)
        {
            md.AppendLine(goal is null ? "automerge-paper was not part of this run." : "automerge-paper failed; see below.");
            md.AppendLine();
            return;
        }

        var (o, y) = (goal.Ours!, goal.Yjs!);
        var apply = TraceComparison.Speedup(y.ApplyMs, o.ApplyMs);
        var load = TraceComparison.Speedup(y.LoadMs, o.LoadMs);
        var memory = o.HeapBytes / y.HeapBytes;
        md.AppendLine("| target | measured | met |");
        md.AppendLine("|---|--:|---|");
        md.AppendLine(Invariant($"| apply >= 3x faster than yjs | {apply:0.00}x | {YesNo(apply >= 3)} |"));
        md.AppendLine(Invariant($"| load >= 3x faster than yjs | {load:0.00}x | {YesNo(load >= 3)} |"));
        md.AppendLine(Invariant($"| memory no larger than yjs | {memory:0.00} of yjs | {YesNo(memory <= 1)} |"));
        md.AppendLine(Invariant($"| encoded size equal | {o.UpdateBytes:0} vs {y.UpdateBytes:0} bytes | {YesNo(o.UpdateBytes == y.UpdateBytes)} |"));
        md.AppendLine();
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Count(double? value) => value is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : "-";

    private static string Escape(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
