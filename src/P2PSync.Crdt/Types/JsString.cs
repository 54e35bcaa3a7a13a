using System.Globalization;
using System.Numerics;
using System.Text;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// JavaScript's <c>String(value)</c> for the values that can sit in XML attributes and
/// text deltas, so that <see cref="YXmlElement.ToString"/> and <see cref="YXmlText.ToString"/>
/// print exactly what yjs prints.
/// </summary>
internal static class JsString
{
    private const int MaxDepth = 64;

    public static string From(object? value)
    {
        var sb = new StringBuilder();
        Append(sb, value, 0);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, object? value) => Append(sb, value, 0);

    private static void Append(StringBuilder sb, object? value, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case Undefined:
                sb.Append("undefined");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                sb.Append(Number(d));
                break;
            case float f:
                sb.Append(Number(f));
                break;
            case long or int or uint or short or ushort or byte or sbyte or ulong:
                sb.Append(Number(Lib0Any.ToDouble(value)));
                break;
            case BigInteger big:
                sb.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                // Uint8Array joins its elements with commas.
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    sb.Append(bytes[i].ToString(CultureInfo.InvariantCulture));
                }
                break;
            case IReadOnlyList<object?> list:
                // Array.prototype.join: null and undefined print as empty strings.
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    var item = list[i];
                    if (item is not null and not Undefined)
                    {
                        if (depth < MaxDepth)
                        {
                            Append(sb, item, depth + 1);
                        }
                    }
                }
                break;
            case YText or YXmlFragment:
                // These override toString in yjs; every other object prints as "[object Object]".
                sb.Append(value.ToString());
                break;
            default:
                sb.Append("[object Object]");
                break;
        }
    }

    private static string Number(double value) => JsNumberFormatter.Format(value);

    /// <summary>Whether <paramref name="client"/> equals a JS number held in <paramref name="value"/>.</summary>
    public static bool NumberEqualsClient(object? value, ulong client) =>
        JsEquality.IsNumber(value) && JsEquality.StrictEquals(value, (double)client);
}
