using System.Globalization;
using System.Numerics;
using System.Text;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A short JSON-like rendering of delta values (lib0 "any" values, embeds, shared types)
/// for <see cref="DeltaOp.ToString"/>, so that failing delta comparisons are readable.
/// </summary>
internal static class DeltaDebugText
{
    private const int MaxDepth = 64;

    public static void AppendDebug(StringBuilder sb, object? value) => AppendDebug(sb, value, 0);

    private static void AppendDebug(StringBuilder sb, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            sb.Append("...");
            return;
        }
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case Undefined:
                sb.Append("undefined");
                break;
            case string s:
                sb.Append('"').Append(s).Append('"');
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double or float or long or int or uint or short or ushort or byte or sbyte or ulong or BigInteger:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                sb.Append("bytes[").Append(Convert.ToHexString(bytes)).Append(']');
                break;
            case IReadOnlyDictionary<string, object?> dict:
                {
                    sb.Append('{');
                    bool first = true;
                    foreach (var (key, v) in dict)
                    {
                        if (!first)
                        {
                            sb.Append(',');
                        }
                        first = false;
                        sb.Append(key).Append(':');
                        AppendDebug(sb, v, depth + 1);
                    }
                    sb.Append('}');
                    break;
                }
            case IReadOnlyList<object?> list:
                {
                    sb.Append('[');
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(',');
                        }
                        AppendDebug(sb, list[i], depth + 1);
                    }
                    sb.Append(']');
                    break;
                }
            case AbstractType type:
                sb.Append(type.GetType().Name);
                break;
            default:
                sb.Append(value);
                break;
        }
    }
}
