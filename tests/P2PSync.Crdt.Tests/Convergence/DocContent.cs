using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// A comparable text form of the visible content of the roots the convergence tests edit.
/// Object keys are sorted, because map key order is the local order of arrival and may
/// legitimately differ between replicas (Yjs compares them the same way).
/// </summary>
internal static class DocContent
{
    public static string Describe(Doc doc)
    {
        var sb = new StringBuilder();
        sb.Append("text: ").AppendLine(DescribeDelta(doc.GetText("text").ToDelta()));
        sb.Append("array: ").AppendLine(Canonical(doc.GetArray("array").ToJson()));
        sb.Append("map: ").AppendLine(Canonical(doc.GetMap("map").ToJson()));
        sb.Append("xml: ").AppendLine(doc.GetXmlFragment("xml").ToString());
        return sb.ToString();
    }

    private static string DescribeDelta(IReadOnlyList<DeltaOp> delta)
    {
        var sb = new StringBuilder();
        foreach (var op in delta)
        {
            var insert = op.Insert switch
            {
                AbstractType type => "type:" + Canonical(type.ToJson()),
                var value => Canonical(value),
            };
            sb.Append('[').Append(insert);
            if (op.Attributes is { Count: > 0 } attributes)
            {
                sb.Append(' ').Append(Canonical(attributes));
            }
            sb.Append(']');
        }
        return sb.ToString();
    }

    /// <summary>JSON with sorted object keys and byte arrays as hex.</summary>
    public static string Canonical(object? value) => Lib0Any.ToJsonString(Normalize(value));

    private static object? Normalize(object? value) => value switch
    {
        byte[] bytes => "bytes:" + Convert.ToHexString(bytes),
        IReadOnlyDictionary<string, object?> map => SortedCopy(map),
        IDictionary<string, object?> map => SortedCopy(map),
        IReadOnlyList<object?> list => list.Select(Normalize).ToList(),
        _ => value,
    };

    private static Dictionary<string, object?> SortedCopy(IEnumerable<KeyValuePair<string, object?>> map)
    {
        var sorted = new Dictionary<string, object?>();
        foreach (var (key, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sorted[key] = Normalize(v);
        }
        return sorted;
    }
}
