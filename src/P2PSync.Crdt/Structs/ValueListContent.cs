using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// A run of plain values, one clock tick per value: the shared behaviour of
/// <see cref="ContentAny"/> and the legacy <see cref="ContentJson"/>, which differ only in
/// their wire ref and in how one value is written and read.
/// </summary>
internal abstract class ValueListContent : IContent
{
    private readonly List<object?> _arr;

    protected ValueListContent(List<object?> arr)
    {
        _arr = arr;
    }

    /// <summary>The values. Live: do not hold on to it across edits, a merge appends to it.</summary>
    public IReadOnlyList<object?> Arr => _arr;

    public int Length => _arr.Count;

    public bool Countable => true;

    public abstract int Ref { get; }

    public IReadOnlyList<object?> GetContent() => _arr;

    // Splice and merge change the list in place (yjs makes new arrays), so a copy needs its own list.
    public IContent Copy() => WithValues(new List<object?>(_arr));

    public IContent Splice(int offset)
    {
        var right = WithValues(_arr.GetRange(offset, _arr.Count - offset));
        _arr.RemoveRange(offset, _arr.Count - offset);
        return right;
    }

    // Item.MergeWith only merges contents of the same concrete type.
    public bool MergeWith(IContent right)
    {
        _arr.AddRange(((ValueListContent)right)._arr);
        return true;
    }

    public void Integrate(Transaction transaction, Item item)
    {
    }

    public void Delete(Transaction transaction)
    {
    }

    public void Gc(StructStore store)
    {
    }

    public void Write(IUpdateEncoder encoder, int offset)
    {
        var length = _arr.Count;
        encoder.WriteLen(length - offset);
        for (var i = offset; i < length; i++)
        {
            WriteValue(encoder, _arr[i]);
        }
    }

    /// <summary>A new content of the same kind holding <paramref name="values"/>.</summary>
    protected abstract ValueListContent WithValues(List<object?> values);

    protected abstract void WriteValue(IUpdateEncoder encoder, object? value);

    /// <summary>Reads the length-prefixed values that <see cref="Write"/> wrote.</summary>
    protected static List<object?> ReadValues(IUpdateDecoder decoder, Func<IUpdateDecoder, object?> readValue)
    {
        var length = decoder.ReadLen();
        // Each value takes at least one byte, but the v2 length column cannot see the rest
        // stream, so grow the list as values arrive instead of trusting the count up front.
        var values = new List<object?>(Math.Min(length, 1024));
        for (var i = 0; i < length; i++)
        {
            values.Add(readValue(decoder));
        }
        return values;
    }
}
