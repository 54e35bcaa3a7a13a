using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Types;

/// <summary>The changes a transaction made to an XML type (fragment, element or text).</summary>
public sealed class YXmlEvent : YEvent
{
    internal YXmlEvent(AbstractType target, HashSet<string?> subs, Transaction transaction)
        : base(target, transaction)
    {
        var attributes = new HashSet<string>();
        foreach (var sub in subs)
        {
            if (sub is null)
            {
                ChildListChanged = true;
            }
            else
            {
                attributes.Add(sub);
            }
        }
        AttributesChanged = attributes;
    }

    /// <summary>Whether the children (the list content) changed.</summary>
    public bool ChildListChanged { get; }

    /// <summary>Names of the attributes the transaction touched.</summary>
    public IReadOnlySet<string> AttributesChanged { get; }
}
