using System.Text;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Text inside an XML tree (Yjs Y.XmlText): a <see cref="YText"/> whose formatting attributes
/// print as nested tags.
/// </summary>
public sealed class YXmlText : YText
{
    public YXmlText(string? initial = null)
        : base(initial)
    {
    }

    /// <summary>The next undeleted sibling, or null.</summary>
    public AbstractType? NextSibling => Item?.Next?.Content is ContentType c ? c.Type : null;

    /// <summary>The previous undeleted sibling, or null.</summary>
    public AbstractType? PrevSibling => Item?.Prev?.Content is ContentType c ? c.Type : null;

    internal override AbstractType Copy() => new YXmlText();

    /// <inheritdoc />
    public override AbstractType Clone()
    {
        var text = new YXmlText();
        text.ApplyDelta(CloneEmbeddedTypes(ToDelta()));
        return text;
    }

    /// <summary>
    /// The text with each formatting attribute as a tag around its run: <c>{ bold: {} }</c> prints
    /// as <c>&lt;bold&gt;…&lt;/bold&gt;</c>, object-valued attributes become tag attributes; tags
    /// and tag attributes are sorted by name, as in yjs.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var tags = new List<(string NodeName, List<(string Key, object? Value)> Attrs)>();
        foreach (var op in ToDelta())
        {
            tags.Clear();
            if (op.Attributes is not null)
            {
                foreach (var (nodeName, value) in op.Attributes)
                {
                    var attrs = EnumerableProperties(value);
                    attrs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                    tags.Add((nodeName, attrs));
                }
            }
            tags.Sort((a, b) => string.CompareOrdinal(a.NodeName, b.NodeName));
            foreach (var (nodeName, attrs) in tags)
            {
                sb.Append('<').Append(nodeName);
                foreach (var (key, value) in attrs)
                {
                    sb.Append(' ').Append(key).Append("=\"");
                    JsString.Append(sb, value);
                    sb.Append('"');
                }
                sb.Append('>');
            }
            JsString.Append(sb, op.Insert);
            for (int i = tags.Count - 1; i >= 0; i--)
            {
                sb.Append("</").Append(tags[i].NodeName).Append('>');
            }
        }
        return sb.ToString();
    }

    /// <summary>What JS <c>for...in</c> visits on an attribute value: object keys, array/string indexes.</summary>
    private static List<(string Key, object? Value)> EnumerableProperties(object? value)
    {
        var result = new List<(string, object?)>();
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> dict:
                foreach (var key in JsObjectOrder.Keys(dict))
                {
                    result.Add((key, dict[key]));
                }
                break;
            case string s:
                for (int i = 0; i < s.Length; i++)
                {
                    result.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), s[i].ToString()));
                }
                break;
            case IReadOnlyList<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    result.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), list[i]));
                }
                break;
            case byte[] bytes:
                for (int i = 0; i < bytes.Length; i++)
                {
                    result.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), (long)bytes[i]));
                }
                break;
        }
        return result;
    }

    /// <summary>The tagged string (as yjs <c>toJSON</c>).</summary>
    public override object? ToJson() => ToString();

    internal override void Write(IUpdateEncoder encoder) => encoder.WriteTypeRef(TypeRefs.YXmlText);
}
