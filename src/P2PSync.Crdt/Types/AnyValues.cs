using System.Collections;
using System.Numerics;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Converts values handed to the type API into the canonical lib0 "any" shape
/// (<c>long</c>/<c>double</c> numbers, <c>List&lt;object?&gt;</c>, <c>Dictionary&lt;string, object?&gt;</c>
/// in JS key order). Local reads then return exactly what remote peers decode, the document
/// does not alias the caller's mutable collections (Yjs does alias, but a JS caller cannot
/// tell), and values that cannot be encoded are refused before anything changes.
/// </summary>
internal static class AnyValues
{
    /// <summary>Values Yjs packs into ContentAny when inserted into a list (JS Number, Boolean, String, Array, Object).</summary>
    public static bool IsJsonLike(object value) =>
        value is string or bool
        || Lib0Any.IsNumber(value)
        || value is IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>
        || (value is IList and not byte[])
        || value is IDictionary;

    /// <exception cref="ArgumentException">The value (or something nested in it) is not a lib0 "any" value, or is nested too deeply.</exception>
    public static object? Normalize(object? value) => Normalize(value, 0);

    private static object? Normalize(object? value, int depth)
    {
        if (depth > Lib0Any.MaxDepth)
        {
            throw new ArgumentException("The value is nested too deeply.", nameof(value));
        }
        switch (value)
        {
            case null or string or bool or Undefined or BigInteger or byte[]:
                return value;
            // Numbers travel as JS numbers (doubles), so a long beyond 2^53 or an integral double
            // would reach peers as another value or C# type; store what they will decode.
            case long l:
                return Lib0Any.NormalizeNumber(l);
            case double d:
                return Lib0Any.NormalizeNumber(d);
            case int or uint or short or ushort or byte or sbyte:
                return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            case float f:
                return Lib0Any.NormalizeNumber(f);
            case ulong ul:
                return Lib0Any.NormalizeNumber(ul);
            case ReadOnlyMemory<byte> memory:
                return memory.ToArray();
            case IReadOnlyDictionary<string, object?> dict:
                {
                    var builder = new JsObjectBuilder(dict.Count);
                    foreach (var (key, v) in dict)
                    {
                        builder.Assign(key, Normalize(v, depth + 1), protoIsSetter: false);
                    }
                    return builder.Build();
                }
            case IReadOnlyList<object?> list:
                {
                    var result = new List<object?>(list.Count);
                    for (int i = 0; i < list.Count; i++)
                    {
                        result.Add(Normalize(list[i], depth + 1));
                    }
                    return result;
                }
            case IDictionary legacyDict:
                {
                    var builder = new JsObjectBuilder(legacyDict.Count);
                    foreach (DictionaryEntry entry in legacyDict)
                    {
                        if (entry.Key is not string key)
                        {
                            throw new ArgumentException("Object keys must be strings.", nameof(value));
                        }
                        builder.Assign(key, Normalize(entry.Value, depth + 1), protoIsSetter: false);
                    }
                    return builder.Build();
                }
            case IList legacyList:
                {
                    var result = new List<object?>(legacyList.Count);
                    foreach (var item in legacyList)
                    {
                        result.Add(Normalize(item, depth + 1));
                    }
                    return result;
                }
            default:
                throw new ArgumentException($"A value of type {value.GetType()} cannot be stored in a shared type.", nameof(value));
        }
    }
}
