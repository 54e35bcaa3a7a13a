using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Support;

/// <summary>
/// Structural comparison of two JSON trees that reports the first difference by path.
/// Numbers compare by value (yjs prints 1e+21 where .NET prints 1E+21), object members
/// regardless of order (the deep views sort them anyway; toJSON order is checked separately
/// as exact text).
/// </summary>
internal static class JsonDiff
{
    /// <summary>Null when equal, else "path: expected X but was Y".</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                return actual is null || IsJsonNull(actual) ? null : Describe(path, expected, actual);
            case JsonObject eo:
                if (actual is not JsonObject ao)
                {
                    return Describe(path, expected, actual);
                }

                foreach (var (k, v) in eo)
                {
                    if (!ao.ContainsKey(k))
                    {
                        return $"{path}.{k}: expected {Short(v)} but the member is missing";
                    }

                    var d = FirstDifference(v, ao[k], $"{path}.{k}");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                foreach (var (k, v) in ao)
                {
                    if (!eo.ContainsKey(k))
                    {
                        return $"{path}.{k}: unexpected member {Short(v)}";
                    }
                }

                return null;
            case JsonArray ea:
                if (actual is not JsonArray aa)
                {
                    return Describe(path, expected, actual);
                }

                for (var i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                {
                    var d = FirstDifference(ea[i], aa[i], $"{path}[{i}]");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return ea.Count == aa.Count ? null : $"{path}: expected {ea.Count} elements but was {aa.Count} ({Short(expected)} vs {Short(actual)})";
            case JsonValue ev:
                if (actual is not JsonValue av)
                {
                    return IsJsonNull(ev) && actual is null ? null : Describe(path, expected, actual);
                }

                return ScalarEquals(ev, av) ? null : Describe(path, expected, actual);
            default:
                return Describe(path, expected, actual);
        }
    }

    private static bool IsJsonNull(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Null;

    private static bool ScalarEquals(JsonValue e, JsonValue a)
    {
        var ek = e.GetValueKind();
        var ak = a.GetValueKind();
        if (ek != ak)
        {
            return false;
        }

        return ek switch
        {
            JsonValueKind.Number => double.Parse(e.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
                == double.Parse(a.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
            JsonValueKind.String => e.GetValue<string>() == a.GetValue<string>(),
            _ => true,
        };
    }

    private static string Describe(string path, JsonNode? expected, JsonNode? actual) =>
        $"{path}: expected {Short(expected)} but was {Short(actual)}";

    public static string Short(JsonNode? node)
    {
        var s = node is null ? "null" : node.ToJsonString();
        return s.Length <= 300 ? s : s[..300] + "...";
    }
}
