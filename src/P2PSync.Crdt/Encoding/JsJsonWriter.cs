using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace P2PSync.Crdt.Encoding;

/// <summary>JSON.stringify (no replacer, no indentation) over <see cref="Lib0Any"/> values.</summary>
internal static class JsJsonWriter
{
    public static string Stringify(object? value)
    {
        var builder = new StringBuilder();
        WriteValue(builder, value, 0);
        return builder.ToString();
    }

    private static void WriteValue(StringBuilder builder, object? value, int depth)
    {
        if (depth > Lib0Any.MaxDepth * 4)
        {
            throw new InvalidOperationException("Value is nested too deeply to stringify.");
        }
        switch (value)
        {
            case null:
            case Undefined:
                builder.Append("null");
                break;
            case string s:
                WriteString(builder, s);
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case long l:
                // JS holds every number as a double, so beyond 2^53 it prints the double's digits.
                builder.Append(l is >= -(1L << 53) and <= 1L << 53
                    ? l.ToString(CultureInfo.InvariantCulture)
                    : JsNumberFormatter.Format(l));
                break;
            case int i:
                builder.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case BigInteger big:
                builder.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                WriteTypedArray(builder, bytes);
                break;
            case IReadOnlyDictionary<string, object?> map:
                WriteObject(builder, map, depth);
                break;
            case IReadOnlyList<object?> list:
                builder.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }
                    WriteValue(builder, list[i], depth + 1);
                }
                builder.Append(']');
                break;
            default:
                if (Lib0Any.IsNumber(value))
                {
                    var d = Lib0Any.ToDouble(value);
                    // Non-finite numbers have no JSON form; JSON.stringify writes null.
                    builder.Append(double.IsFinite(d) ? JsNumberFormatter.Format(d) : "null");
                }
                else if (value is IDictionary dictionary)
                {
                    WriteLegacyObject(builder, dictionary, depth);
                }
                else if (value is IList legacyList)
                {
                    var items = new List<object?>(legacyList.Count);
                    foreach (var item in legacyList)
                    {
                        items.Add(item);
                    }
                    WriteValue(builder, items, depth);
                }
                else
                {
                    throw new ArgumentException($"Type {value!.GetType()} is not a lib0 any value.", nameof(value));
                }
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, IReadOnlyDictionary<string, object?> map, int depth)
    {
        builder.Append('{');
        var first = true;
        foreach (var pair in map)
        {
            if (pair.Value is Undefined)
            {
                continue;
            }
            if (!first)
            {
                builder.Append(',');
            }
            first = false;
            WriteString(builder, pair.Key);
            builder.Append(':');
            WriteValue(builder, pair.Value, depth + 1);
        }
        builder.Append('}');
    }

    private static void WriteLegacyObject(StringBuilder builder, IDictionary dictionary, int depth)
    {
        var map = new Dictionary<string, object?>(dictionary.Count);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
            {
                throw new ArgumentException("Object keys must be strings.", nameof(dictionary));
            }
            map[key] = entry.Value;
        }
        WriteObject(builder, map, depth);
    }

    // A Uint8Array has no toJSON, so JSON.stringify sees an object keyed by index.
    private static void WriteTypedArray(StringBuilder builder, byte[] bytes)
    {
        builder.Append('{');
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            builder.Append('"').Append(i.ToString(CultureInfo.InvariantCulture)).Append("\":");
            builder.Append(bytes[i].ToString(CultureInfo.InvariantCulture));
        }
        builder.Append('}');
    }

    /// <summary>QuoteJSONString: short escapes, \u00xx for other controls and lone surrogates, lowercase hex.</summary>
    internal static void WriteString(StringBuilder builder, string s)
    {
        builder.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        AppendUnicodeEscape(builder, c);
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        if (i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                        {
                            builder.Append(c).Append(s[i + 1]);
                            i++;
                        }
                        else
                        {
                            AppendUnicodeEscape(builder, c);
                        }
                    }
                    else if (char.IsLowSurrogate(c))
                    {
                        AppendUnicodeEscape(builder, c);
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
    }

    private static void AppendUnicodeEscape(StringBuilder builder, char c)
    {
        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
    }
}
