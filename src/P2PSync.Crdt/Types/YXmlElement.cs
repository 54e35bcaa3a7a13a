using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A shared XML element (Yjs Y.XmlElement): a node name, attributes (keyed content) and
/// children (list content).
/// </summary>
public sealed class YXmlElement : YXmlFragment
{
    /// <summary>Attributes set before integration; set for real once the element is part of a doc.</summary>
    private OrderedDictionary<string, object?>? prelimAttrs = new();

    public YXmlElement(string nodeName = "UNDEFINED")
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        NodeName = nodeName;
    }

    /// <summary>The tag name, as given (it is lower-cased only when printed).</summary>
    public string NodeName { get; }

    /// <summary>The next undeleted sibling, or null.</summary>
    public AbstractType? NextSibling => Item?.Next?.Content is ContentType c ? c.Type : null;

    /// <summary>The previous undeleted sibling, or null.</summary>
    public AbstractType? PrevSibling => Item?.Prev?.Content is ContentType c ? c.Type : null;

    internal override void Integrate(Doc y, Item? item)
    {
        base.Integrate(y, item);
        var attrs = prelimAttrs!;
        prelimAttrs = null;
        foreach (var (key, value) in attrs)
        {
            SetAttribute(key, value);
        }
    }

    internal override AbstractType Copy() => new YXmlElement(NodeName);

    /// <inheritdoc />
    public override AbstractType Clone()
    {
        var el = new YXmlElement(NodeName);
        foreach (var (key, value) in GetAttributes())
        {
            el.SetAttribute(key, value);
        }
        var children = ClonedChildren();
        var nodes = new List<AbstractType>(children.Count);
        foreach (var child in children)
        {
            if (child is AbstractType type)
            {
                nodes.Add(type);
            }
        }
        el.Insert(0, nodes);
        return el;
    }

    /// <summary>
    /// The XML of this element: lower-cased name, attributes sorted by name, children.
    /// Values are printed as JavaScript would and not escaped, exactly like yjs.
    /// </summary>
    public override string ToString()
    {
        var attrs = GetAttributes();
        var keys = new List<string>(attrs.Keys);
        keys.Sort(string.CompareOrdinal);
        string nodeName = NodeName.ToLowerInvariant();
        var sb = new StringBuilder();
        sb.Append('<').Append(nodeName);
        foreach (var key in keys)
        {
            sb.Append(' ').Append(key).Append("=\"");
            JsString.Append(sb, attrs[key]);
            sb.Append('"');
        }
        sb.Append('>').Append(base.ToString()).Append("</").Append(nodeName).Append('>');
        return sb.ToString();
    }

    /// <summary>Removes the attribute <paramref name="attributeName"/>.</summary>
    public void RemoveAttribute(string attributeName)
    {
        ArgumentNullException.ThrowIfNull(attributeName);
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeMapDelete(transaction, attributeName));
        }
        else
        {
            prelimAttrs!.Remove(attributeName);
        }
    }

    /// <summary>Sets the attribute <paramref name="attributeName"/> (usually to a string).</summary>
    public void SetAttribute(string attributeName, object? attributeValue)
    {
        ArgumentNullException.ThrowIfNull(attributeName);
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeMapSet(transaction, attributeName, attributeValue));
        }
        else
        {
            prelimAttrs![attributeName] = attributeValue;
        }
    }

    /// <summary>The value of the attribute, or <see cref="Undefined.Value"/> if it is not set.</summary>
    public object? GetAttribute(string attributeName)
    {
        ArgumentNullException.ThrowIfNull(attributeName);
        return TypeMapGet(attributeName);
    }

    public bool HasAttribute(string attributeName)
    {
        ArgumentNullException.ThrowIfNull(attributeName);
        return TypeMapHas(attributeName);
    }

    /// <summary>All attributes, or those visible in <paramref name="snapshot"/> if one is given.</summary>
    public Dictionary<string, object?> GetAttributes(Snapshot? snapshot = null) =>
        snapshot is null ? TypeMapGetAll() : TypeMapGetAllSnapshot(snapshot);

    internal override void Write(IUpdateEncoder encoder)
    {
        encoder.WriteTypeRef(TypeRefs.YXmlElement);
        encoder.WriteKey(NodeName);
    }
}
