using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// JS objects list integer-like keys ("0", "1", ... up to 2^32-2) first, in numeric order,
/// then the other keys in insertion order. Yjs builds attribute objects and toJSON results
/// as plain objects, and iterates user attribute objects with <c>for...in</c>, so wherever
/// that order is observable (delta attributes, JSON, the order format items are created in)
/// we reproduce it.
/// </summary>
internal static class JsObjectOrder
{
    /// <summary>
    /// A JS object built by assigning <paramref name="pairs"/> in order (<c>obj[key] = value</c>),
    /// enumerating in JS property order.
    /// </summary>
    public static Dictionary<string, object?> ToObject(IEnumerable<KeyValuePair<string, object?>> pairs, int capacity)
    {
        var builder = new JsObjectBuilder(capacity);
        foreach (var pair in pairs)
        {
            builder.Assign(pair.Key, pair.Value, protoIsSetter: true);
        }
        return builder.Build();
    }

    /// <summary>The keys of <paramref name="dict"/> in JS property order.</summary>
    public static List<string> Keys(IReadOnlyDictionary<string, object?> dict)
    {
        var keys = new List<string>(dict.Count);
        foreach (var key in dict.Keys)
        {
            keys.Add(key);
        }
        bool anyIndex = false;
        foreach (var key in keys)
        {
            if (JsObjectBuilder.IsArrayIndex(key))
            {
                anyIndex = true;
                break;
            }
        }
        if (anyIndex)
        {
            var indexKeys = new List<string>();
            var others = new List<string>();
            foreach (var key in keys)
            {
                (JsObjectBuilder.IsArrayIndex(key) ? indexKeys : others).Add(key);
            }
            indexKeys.Sort(CompareIndexKeys);
            indexKeys.AddRange(others);
            keys = indexKeys;
        }
        return keys;
    }

    private static int CompareIndexKeys(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
