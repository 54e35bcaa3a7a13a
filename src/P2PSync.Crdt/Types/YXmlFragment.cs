using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A shared list of XML nodes (<see cref="YXmlElement"/>, <see cref="YXmlText"/>, <see cref="YXmlHook"/>)
/// without a name or attributes of its own (Yjs Y.XmlFragment).
/// </summary>
public class YXmlFragment : AbstractType
{
    /// <summary>Children inserted before integration; inserted for real once the fragment is part of a doc.</summary>
    private List<object?>? prelimContent = new();

    public YXmlFragment()
    {
    }

    /// <summary>The first child that is not deleted, or null.</summary>
    public AbstractType? FirstChild => First?.Content.GetContent()[0] as AbstractType;

    /// <summary>Number of children.</summary>
    public int Length => prelimContent is null ? InternalLength : prelimContent.Count;

    internal override void Integrate(Doc y, Item? item)
    {
        base.Integrate(y, item);
        var content = prelimContent!;
        prelimContent = null;
        if (content.Count > 0)
        {
            InsertGenerics(0, content);
        }
    }

    internal override AbstractType Copy() => new YXmlFragment();

    /// <inheritdoc />
    public override AbstractType Clone()
    {
        var el = new YXmlFragment();
        el.InsertGenerics(0, ClonedChildren());
        return el;
    }

    /// <summary>The children, with shared types replaced by clones.</summary>
    private protected List<object?> ClonedChildren()
    {
        var children = TypeListToArray();
        for (int i = 0; i < children.Count; i++)
        {
            if (children[i] is AbstractType type)
            {
                children[i] = type.Clone();
            }
        }
        return children;
    }

    /// <summary>
    /// Walks the subtree depth-first and yields the nodes for which <paramref name="filter"/> holds
    /// (all nodes if it is null).
    /// </summary>
    public YXmlTreeWalker CreateTreeWalker(Func<AbstractType, bool>? filter = null) => new(this, filter);

    /// <summary>The first element in the subtree whose node name equals <paramref name="query"/> (case-insensitively).</summary>
    public AbstractType? QuerySelector(string query)
    {
        foreach (var node in CreateTreeWalker(NodeNameFilter(query)))
        {
            return node;
        }
        return null;
    }

    /// <summary>All elements in the subtree whose node name equals <paramref name="query"/> (case-insensitively).</summary>
    public List<AbstractType> QuerySelectorAll(string query) => new(CreateTreeWalker(NodeNameFilter(query)));

    private static Func<AbstractType, bool> NodeNameFilter(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string upper = query.ToUpperInvariant();
        return element => element is YXmlElement e && e.NodeName.Length > 0 && e.NodeName.ToUpperInvariant() == upper;
    }

    internal override void CallObserver(Transaction transaction) =>
        CallTypeObservers(transaction);

    internal override YEvent CreateEvent(Transaction transaction, HashSet<string?> subs) => new YXmlEvent(this, subs, transaction);

    /// <summary>The XML of all children, concatenated.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && !n.Deleted)
            {
                var c = n.Content.GetContent();
                for (int i = 0; i < c.Count; i++)
                {
                    JsString.Append(sb, c[i]);
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The XML string (as yjs <c>toJSON</c>).</summary>
    public override object? ToJson() => ToString();

    /// <summary>Inserts <paramref name="content"/> so that its first node is at <paramref name="index"/>.</summary>
    public void Insert(int index, IReadOnlyList<AbstractType> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        InsertGenerics(index, content);
    }

    private void InsertGenerics(int index, IReadOnlyList<object?> content)
    {
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeListInsertGenerics(transaction, index, content));
        }
        else
        {
            prelimContent!.InsertRange(Math.Clamp(index, 0, prelimContent.Count), content);
        }
    }

    /// <summary>Inserts <paramref name="content"/> right after the child <paramref name="reference"/> (at the start if null).</summary>
    /// <exception cref="ArgumentException">Before integration: <paramref name="reference"/> is not a child.</exception>
    public void InsertAfter(AbstractType? reference, IReadOnlyList<AbstractType> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeListInsertGenericsAfter(transaction, reference?.Item, content));
        }
        else
        {
            var pc = prelimContent!;
            int index = reference is null ? 0 : pc.IndexOf(reference) + 1;
            if (index == 0 && reference is not null)
            {
                throw new ArgumentException("Reference item not found", nameof(reference));
            }
            pc.InsertRange(index, content);
        }
    }

    /// <summary>Deletes <paramref name="length"/> children from <paramref name="index"/>.</summary>
    public void Delete(int index, int length = 1)
    {
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeListDelete(transaction, index, length));
        }
        else
        {
            int start = Math.Clamp(index, 0, prelimContent!.Count);
            prelimContent.RemoveRange(start, Math.Clamp(length, 0, prelimContent.Count - start));
        }
    }

    /// <summary>The children.</summary>
    public List<object?> ToArray() => TypeListToArray();

    /// <summary>Appends <paramref name="content"/>.</summary>
    public void Push(IReadOnlyList<AbstractType> content) => Insert(Length, content);

    /// <summary>Prepends <paramref name="content"/>.</summary>
    public void Unshift(IReadOnlyList<AbstractType> content) => Insert(0, content);

    /// <summary>The child at <paramref name="index"/>, or <see cref="Undefined.Value"/> if there is none.</summary>
    public object? Get(int index) => TypeListGet(index);

    /// <summary>Children [start, end); negative values count from the end.</summary>
    public List<object?> Slice(int start = 0, int? end = null) => TypeListSlice(start, end ?? Length);

    /// <summary>Calls <paramref name="f"/> with each child, its index and this fragment.</summary>
    public void ForEach(Action<object?, int, YXmlFragment> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        TypeListForEach((c, i, _) => f(c, i, this));
    }

    internal override void Write(IUpdateEncoder encoder) => encoder.WriteTypeRef(TypeRefs.YXmlFragment);
}
