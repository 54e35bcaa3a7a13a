using System.Text;
using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Support;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>
/// Compares the result of one script run by yjs with the result of our runner and lists
/// every difference: state vectors and encodings byte for byte, deep views structurally,
/// toJSON as exact text.
/// </summary>
internal static class ScriptComparison
{
    public static List<string> Differences(JsonObject yjs, JsonObject ours)
    {
        var diffs = new List<string>();
        var yErr = yjs["error"];
        var oErr = ours["error"];
        if (yErr is not null || oErr is not null)
        {
            diffs.Add($"a step threw: yjs={JsonDiff.Short(yErr)} ours={JsonDiff.Short(oErr)}");
            if (yErr is null || oErr is null || yErr["step"]!.GetValue<int>() != oErr["step"]!.GetValue<int>())
            {
                return diffs;
            }
        }

        var yDocs = yjs["docs"]!.AsArray();
        var oDocs = ours["docs"]!.AsArray();
        for (var i = 0; i < yDocs.Count; i++)
        {
            CompareSummary($"doc {i}", yDocs[i]!.AsObject(), oDocs[i]!.AsObject(), diffs);
        }

        var yUpd = yjs["updates"]!.AsArray();
        var oUpd = ours["updates"]!.AsArray();
        if (yUpd.Count != oUpd.Count)
        {
            diffs.Add($"transaction count differs: yjs {yUpd.Count}, ours {oUpd.Count}");
        }

        for (var i = 0; i < Math.Min(yUpd.Count, oUpd.Count); i++)
        {
            var step = yUpd[i]!["step"]!.GetValue<int>();
            CompareBytes($"update of tx step {step} (v1)", yUpd[i]!["v1"], oUpd[i]!["v1"], diffs);
            CompareBytes($"update of tx step {step} (v2)", yUpd[i]!["v2"], oUpd[i]!["v2"], diffs);
        }

        var yT = yjs["targets"]?.AsArray() ?? [];
        var oT = ours["targets"]?.AsArray() ?? [];
        for (var i = 0; i < Math.Min(yT.Count, oT.Count); i++)
        {
            CompareBytes($"target {i} encodeStateAsUpdate (v1)", yT[i]!["v1"], oT[i]!["v1"], diffs);
            CompareBytes($"target {i} encodeStateAsUpdate (v2)", yT[i]!["v2"], oT[i]!["v2"], diffs);
        }

        return diffs;
    }

    /// <summary>Compares two document summaries (sv, json, deep, v1, v2).</summary>
    public static void CompareSummary(string what, JsonObject yjs, JsonObject ours, List<string> diffs)
    {
        var deep = JsonDiff.FirstDifference(yjs["deep"], ours["deep"]);
        if (deep is not null)
        {
            diffs.Add($"{what} content: {deep}");
        }

        var yJson = yjs["json"]?.GetValue<string>();
        var oJson = ours["json"]?.GetValue<string>();
        if (yJson != oJson)
        {
            diffs.Add($"{what} toJSON text: yjs {Clip(yJson)} ours {Clip(oJson)}");
        }

        CompareBytes($"{what} state vector", yjs["sv"], ours["sv"], diffs);
        if (yjs["v1"] is not null || ours["v1"] is not null)
        {
            CompareBytes($"{what} encodeStateAsUpdate", yjs["v1"], ours["v1"], diffs);
            CompareBytes($"{what} encodeStateAsUpdateV2", yjs["v2"], ours["v2"], diffs);
        }
    }

    public static void CompareBytes(string what, JsonNode? yjs, JsonNode? ours, List<string> diffs)
    {
        var y = yjs?.GetValue<string>();
        var o = ours?.GetValue<string>();
        if (y == o)
        {
            return;
        }

        if (y is null || o is null)
        {
            diffs.Add($"{what}: yjs {(y is null ? "none" : "bytes")}, ours {(o is null ? "none" : "bytes")}");
            return;
        }

        diffs.Add($"{what}: {ByteDiff(Convert.FromBase64String(y), Convert.FromBase64String(o))}");
    }

    /// <summary>"first difference at N; yjs: hex; ours: hex".</summary>
    public static string ByteDiff(byte[] yjs, byte[] ours)
    {
        var n = 0;
        while (n < yjs.Length && n < ours.Length && yjs[n] == ours[n])
        {
            n++;
        }

        return $"first difference at byte {n} (yjs {yjs.Length} bytes, ours {ours.Length})\n    yjs:  {Hex(yjs)}\n    ours: {Hex(ours)}";
    }

    public static string Hex(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes.Take(400))
        {
            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (bytes.Length > 400)
        {
            sb.Append("...");
        }

        return sb.ToString();
    }

    private static string Clip(string? s) => s is null ? "null" : s.Length <= 300 ? s : s[..300] + "...";
}
