using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Interop.Tests.Support;

/// <summary>Named roots of the four kinds scripts and golden files declare (getRoot in values.mjs).</summary>
internal static class Roots
{
    public static AbstractType Get(Doc doc, string name, string kind) => kind switch
    {
        "text" => doc.GetText(name),
        "array" => doc.GetArray(name),
        "map" => doc.GetMap(name),
        "xmlFragment" => doc.GetXmlFragment(name),
        _ => throw new ArgumentException($"unknown root kind {kind}"),
    };

    /// <summary>
    /// <c>JSON.stringify({name: root.toJSON()})</c> in the listed order, or null where yjs
    /// would refuse (a BigInt anywhere), so the caller can skip the exact-text comparison.
    /// </summary>
    public static string? JsonText(Doc doc, IReadOnlyList<KeyValuePair<string, string>> roots)
    {
        var obj = new Dictionary<string, object?>();
        foreach (var (name, kind) in roots)
        {
            obj[name] = Get(doc, name, kind).ToJson();
        }

        if (ContainsBigInteger(obj))
        {
            return null;
        }

        try
        {
            return P2PSync.Crdt.Encoding.Lib0Any.ToJsonString(obj);
        }
        catch (ArgumentException e)
        {
            // Reported as a toJSON text difference instead of aborting the whole comparison.
            return $"<ToJsonString threw {e.GetType().Name}: {e.Message}>";
        }
    }

    private static bool ContainsBigInteger(object? value) => value switch
    {
        System.Numerics.BigInteger => true,
        IReadOnlyDictionary<string, object?> d => d.Values.Any(ContainsBigInteger),
        IEnumerable<object?> l => l.Any(ContainsBigInteger),
        _ => false,
    };
}
