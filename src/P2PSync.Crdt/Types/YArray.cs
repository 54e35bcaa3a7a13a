using System.Collections;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A shared list (Yjs Y.Array). Elements are lib0 "any" values (null, bool, string, numbers,
/// lists, string-keyed dictionaries), <c>byte[]</c>, sub-documents or shared types.
/// </summary>
public sealed class YArray : AbstractType, IEnumerable<object?>
{
    /// <summary>Content inserted before integration; inserted for real once the array is part of a doc.</summary>
    private List<object?>? prelimContent = new();

    public YArray()
    {
        SearchMarker = new List<ArraySearchMarker>();
    }

    /// <summary>A new (not yet integrated) array holding <paramref name="items"/>.</summary>
    public static YArray From(IEnumerable<object?> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var a = new YArray();
        a.Push(items.ToList());
        return a;
    }

    /// <summary>Number of elements (0 until the array is part of a document).</summary>
    public int Length => InternalLength;

    internal override void Integrate(Doc y, Item? item)
    {
        base.Integrate(y, item);
        var content = prelimContent!;
        prelimContent = null;
        if (content.Count > 0)
        {
            Insert(0, content);
        }
    }

    internal override AbstractType Copy() => new YArray();

    /// <inheritdoc />
    public override AbstractType Clone()
    {
        var arr = new YArray();
        var elements = ToArray();
        for (int i = 0; i < elements.Count; i++)
        {
            if (elements[i] is AbstractType type)
            {
                elements[i] = type.Clone();
            }
        }
        arr.Insert(0, elements);
        return arr;
    }

    internal override void CallObserver(Transaction transaction)
    {
        base.CallObserver(transaction);
        CallTypeObservers(transaction);
    }

    internal override YEvent CreateEvent(Transaction transaction, HashSet<string?> subs) => new YArrayEvent(this, transaction);

    /// <summary>Inserts <paramref name="content"/> so that its first element is at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is beyond the end of the array.</exception>
    public void Insert(int index, IReadOnlyList<object?> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        // Inside a running transaction, join it without a closure; the lambdas live in separate
        // methods because C# allocates a method's closure on entry, used or not.
        if (Doc?.Transaction is { } running)
        {
            TypeListInsertGenerics(running, index, content);
        }
        else
        {
            InsertOutsideTransaction(index, content);
        }
    }

    private void InsertOutsideTransaction(int index, IReadOnlyList<object?> content)
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

    /// <summary>Appends <paramref name="content"/>.</summary>
    public void Push(IReadOnlyList<object?> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Doc?.Transaction is { } running)
        {
            TypeListPushGenerics(running, content);
        }
        else
        {
            PushOutsideTransaction(content);
        }
    }

    private void PushOutsideTransaction(IReadOnlyList<object?> content)
    {
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeListPushGenerics(transaction, content));
        }
        else
        {
            prelimContent!.AddRange(content);
        }
    }

    /// <summary>Prepends <paramref name="content"/>.</summary>
    public void Unshift(IReadOnlyList<object?> content) => Insert(0, content);

    /// <summary>Deletes <paramref name="length"/> elements from <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range goes beyond the end (what exists is deleted first, as in Yjs).</exception>
    public void Delete(int index, int length = 1)
    {
        if (Doc?.Transaction is { } running)
        {
            TypeListDelete(running, index, length);
        }
        else
        {
            DeleteOutsideTransaction(index, length);
        }
    }

    private void DeleteOutsideTransaction(int index, int length)
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

    /// <summary>The element at <paramref name="index"/>, or <see cref="Undefined.Value"/> if there is none.</summary>
    public object? Get(int index) => TypeListGet(index);

    /// <summary>All elements.</summary>
    public List<object?> ToArray() => TypeListToArray();

    /// <summary>Elements [start, end); negative values count from the end.</summary>
    public List<object?> Slice(int start = 0, int? end = null) => TypeListSlice(start, end ?? Length);

    /// <summary>The elements with nested shared types converted to their JSON form.</summary>
    public override object? ToJson()
    {
        var result = ToArray();
        for (int i = 0; i < result.Count; i++)
        {
            result[i] = ElementToJson(result[i]);
        }
        return result;
    }

    /// <summary>Calls <paramref name="f"/> with each element, its index and this array.</summary>
    public void ForEach(Action<object?, int, YArray> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        TypeListForEach((c, i, _) => f(c, i, this));
    }

    public IEnumerator<object?> GetEnumerator() => TypeListCreateIterator().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal override void Write(IUpdateEncoder encoder) => encoder.WriteTypeRef(TypeRefs.YArray);
}
