using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

public partial class AbstractType
{
    /// <summary>All items of the list content, deleted ones included (Yjs <c>getTypeChildren</c>).</summary>
    internal List<Item> GetTypeChildren()
    {
        var arr = new List<Item>();
        for (var s = Start; s is not null; s = s.Right)
        {
            arr.Add(s);
        }
        return arr;
    }

    /// <summary>Elements [start, end); negative bounds count from the end, as in JS <c>slice</c>.</summary>
    internal List<object?> TypeListSlice(int start, int end)
    {
        if (start < 0)
        {
            start = InternalLength + start;
        }
        if (end < 0)
        {
            end = InternalLength + end;
        }
        int len = end - start;
        var cs = new List<object?>();
        for (var n = Start; n is not null && len > 0; n = n.Right)
        {
            if (n.Countable && !n.Deleted)
            {
                var c = n.Content.GetContent();
                if (c.Count <= start)
                {
                    start -= c.Count;
                }
                else
                {
                    for (int i = start; i < c.Count && len > 0; i++)
                    {
                        cs.Add(c[i]);
                        len--;
                    }
                    start = 0;
                }
            }
        }
        return cs;
    }

    internal List<object?> TypeListToArray()
    {
        var cs = new List<object?>(InternalLength);
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && !n.Deleted)
            {
                var c = n.Content.GetContent();
                for (int i = 0; i < c.Count; i++)
                {
                    cs.Add(c[i]);
                }
            }
        }
        return cs;
    }

    internal List<object?> TypeListToArraySnapshot(Snapshot snapshot)
    {
        var cs = new List<object?>();
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && Snapshot.IsVisible(n, snapshot))
            {
                var c = n.Content.GetContent();
                for (int i = 0; i < c.Count; i++)
                {
                    cs.Add(c[i]);
                }
            }
        }
        return cs;
    }

    /// <summary>Calls <paramref name="f"/> with each element, its index and this type.</summary>
    internal void TypeListForEach(Action<object?, int, AbstractType> f)
    {
        int index = 0;
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && !n.Deleted)
            {
                var c = n.Content.GetContent();
                for (int i = 0; i < c.Count; i++)
                {
                    f(c[i], index++, this);
                }
            }
        }
    }

    internal void TypeListForEachSnapshot(Action<object?, int, AbstractType> f, Snapshot snapshot)
    {
        int index = 0;
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && Snapshot.IsVisible(n, snapshot))
            {
                var c = n.Content.GetContent();
                for (int i = 0; i < c.Count; i++)
                {
                    f(c[i], index++, this);
                }
            }
        }
    }

    internal List<TResult> TypeListMap<TResult>(Func<object?, int, AbstractType, TResult> f)
    {
        var result = new List<TResult>();
        int index = 0;
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && !n.Deleted)
            {
                var c = n.Content.GetContent();
                for (int i = 0; i < c.Count; i++)
                {
                    result.Add(f(c[i], index++, this));
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Lazily enumerates the elements. Like Yjs's iterator it skips only deleted items; an
    /// undeleted item without elements (a stray format) yields one <see cref="Undefined.Value"/>.
    /// </summary>
    internal IEnumerable<object?> TypeListCreateIterator()
    {
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Deleted)
            {
                continue;
            }
            var content = n.Content.GetContent();
            if (content.Count == 0)
            {
                yield return Undefined.Value;
                continue;
            }
            for (int i = 0; i < content.Count; i++)
            {
                yield return content[i];
            }
        }
    }

    /// <summary>The element at <paramref name="index"/>, or <see cref="Undefined.Value"/> if there is none.</summary>
    internal object? TypeListGet(int index)
    {
        var marker = FindMarker(index);
        var n = Start;
        if (marker is not null)
        {
            n = marker.P;
            index -= marker.Index;
        }
        for (; n is not null; n = n.Right)
        {
            if (!n.Deleted && n.Countable)
            {
                if (index < n.Length)
                {
                    return n.Content.GetContent()[index];
                }
                index -= n.Length;
            }
        }
        return Undefined.Value;
    }

    /// <summary>
    /// Inserts <paramref name="content"/> right after <paramref name="referenceItem"/> (at the start
    /// if null). Consecutive JSON-like values share one ContentAny item; binaries, subdocuments and
    /// shared types each get their own item.
    /// </summary>
    internal void TypeListInsertGenericsAfter(Transaction transaction, Item? referenceItem, IReadOnlyList<object?> content)
    {
        // Refuse bad content before the first item is created, so a failed insert changes nothing.
        for (int i = 0; i < content.Count; i++)
        {
            switch (content[i])
            {
                case AbstractType t:
                    EnsureCanHold(t);
                    break;
                case null or byte[] or ReadOnlyMemory<byte> or Core.Doc:
                    break;
                case { } c when AnyValues.IsJsonLike(c):
                    break;
                case { } c:
                    throw new ArgumentException($"Unexpected content type in insert operation: {c.GetType()}.", nameof(content));
            }
        }
        Item? left = referenceItem;
        Item? right = referenceItem is null ? Start : referenceItem.Right;
        List<object?>? jsonContent = null;
        for (int i = 0; i < content.Count; i++)
        {
            object? c = content[i];
            if (c is null || AnyValues.IsJsonLike(c))
            {
                (jsonContent ??= new List<object?>()).Add(AnyValues.Normalize(c));
                continue;
            }
            if (jsonContent is not null)
            {
                left = InsertItem(transaction, left, right, this, null, new ContentAny(jsonContent));
                jsonContent = null;
            }
            IContent single = c switch
            {
                byte[] bytes => new ContentBinary((byte[])bytes.Clone()),
                ReadOnlyMemory<byte> memory => new ContentBinary(memory.ToArray()),
                Doc subdoc => new ContentDoc(subdoc),
                AbstractType type => new ContentType(type),
                _ => throw new ArgumentException($"Unexpected content type in insert operation: {c.GetType()}.", nameof(content)),
            };
            left = InsertItem(transaction, left, right, this, null, single);
        }
        if (jsonContent is not null)
        {
            InsertItem(transaction, left, right, this, null, new ContentAny(jsonContent));
        }
    }

    /// <summary>Inserts <paramref name="content"/> so that its first element ends up at <paramref name="index"/>.</summary>
    internal void TypeListInsertGenerics(Transaction transaction, int index, IReadOnlyList<object?> content)
    {
        if (index > InternalLength || index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "Length exceeded!");
        }
        if (index == 0)
        {
            if (SearchMarker is not null)
            {
                UpdateMarkerChanges(SearchMarker, index, content.Count);
            }
            TypeListInsertGenericsAfter(transaction, null, content);
            return;
        }
        int startIndex = index;
        var marker = FindMarker(index);
        var n = Start;
        if (marker is not null)
        {
            n = marker.P;
            index -= marker.Index;
            if (index == 0)
            {
                // The loop below finds the item that ends at the index, so start one to the left.
                n = n.Prev;
                index += n is not null && n.Countable && !n.Deleted ? n.Length : 0;
            }
        }
        for (; n is not null; n = n.Right)
        {
            if (!n.Deleted && n.Countable)
            {
                if (index <= n.Length)
                {
                    if (index < n.Length)
                    {
                        StructStore.GetItemCleanStart(transaction, new ID(n.Id.Client, n.Id.Clock + index));
                    }
                    break;
                }
                index -= n.Length;
            }
        }
        if (SearchMarker is not null)
        {
            UpdateMarkerChanges(SearchMarker, startIndex, content.Count);
        }
        TypeListInsertGenericsAfter(transaction, n, content);
    }

    /// <summary>Appends after the last item; starts from the rightmost marker to skip most of the list.</summary>
    internal void TypeListPushGenerics(Transaction transaction, IReadOnlyList<object?> content)
    {
        int maxIndex = 0;
        Item? n = Start;
        var markers = SearchMarker;
        if (markers is not null)
        {
            for (int i = 0; i < markers.Count; i++)
            {
                if (markers[i].Index > maxIndex)
                {
                    maxIndex = markers[i].Index;
                    n = markers[i].P;
                }
            }
        }
        if (n is not null)
        {
            while (n.Right is not null)
            {
                n = n.Right;
            }
        }
        TypeListInsertGenericsAfter(transaction, n, content);
    }

    /// <summary>
    /// Deletes <paramref name="length"/> elements from <paramref name="index"/>. Unlike Yjs, which
    /// deletes what it can and then throws, a range past the end is refused before anything
    /// changes, as a C# caller expects of an exception.
    /// </summary>
    internal void TypeListDelete(Transaction transaction, int index, int length)
    {
        if (length == 0)
        {
            return;
        }
        if (index < 0 || length < 0)
        {
            throw new ArgumentOutOfRangeException(index < 0 ? nameof(index) : nameof(length), "Length exceeded!");
        }
        if ((long)index + length > InternalLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Cannot delete {length} elements at {index} from a list of {InternalLength}.");
        }
        int startIndex = index;
        int startLength = length;
        var marker = FindMarker(index);
        var n = Start;
        if (marker is not null)
        {
            n = marker.P;
            index -= marker.Index;
        }
        for (; n is not null && index > 0; n = n.Right)
        {
            if (!n.Deleted && n.Countable)
            {
                if (index < n.Length)
                {
                    StructStore.GetItemCleanStart(transaction, new ID(n.Id.Client, n.Id.Clock + index));
                }
                index -= n.Length;
            }
        }
        while (length > 0 && n is not null)
        {
            if (!n.Deleted)
            {
                if (length < n.Length)
                {
                    StructStore.GetItemCleanStart(transaction, new ID(n.Id.Client, n.Id.Clock + length));
                }
                n.Delete(transaction);
                length -= n.Length;
            }
            n = n.Right;
        }
        if (length > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "Length exceeded!");
        }
        if (SearchMarker is not null)
        {
            UpdateMarkerChanges(SearchMarker, startIndex, -startLength + length);
        }
    }
}
