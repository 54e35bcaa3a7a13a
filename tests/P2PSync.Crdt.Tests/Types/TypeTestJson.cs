using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>
/// Renders deltas and values as JSON text the way <c>JSON.stringify</c> renders the yjs
/// objects, so tests can compare against strings captured from yjs itself.
/// </summary>
internal static class TypeTestJson
{
    public static string Delta(IReadOnlyList<DeltaOp> delta)
    {
        var list = new List<object?>();
        foreach (var op in delta)
        {
            list.Add(Op(op));
        }
        return Lib0Any.ToJsonString(list);
    }

    public static string Value(object? value) => Lib0Any.ToJsonString(Plain(value));

    private static Dictionary<string, object?> Op(DeltaOp op)
    {
        var d = new Dictionary<string, object?>();
        if (op.Insert is not null)
        {
            d["insert"] = Plain(op.Insert);
        }
        else if (op.Delete is not null)
        {
            d["delete"] = (long)op.Delete.Value;
        }
        else
        {
            d["retain"] = (long)op.Retain!.Value;
        }
        if (op.Attributes is not null)
        {
            d["attributes"] = Plain(op.Attributes);
        }
        return d;
    }

    /// <summary>Shared types become their toJSON() value, as JSON.stringify does.</summary>
    private static object? Plain(object? value) => value switch
    {
        AbstractType type => Plain(type.ToJson()),
        IReadOnlyDictionary<string, object?> dict => dict.ToDictionary(p => p.Key, p => Plain(p.Value)),
        IReadOnlyList<object?> list => list.Select(Plain).ToList(),
        _ => value,
    };
}
