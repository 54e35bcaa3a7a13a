using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>A run of lib0 "any" values (ref 8), one clock tick per value; see <see cref="Lib0Any"/>.</summary>
internal sealed class ContentAny : IContent
{
    private readonly List<object?> _arr;

    public ContentAny(List<object?> arr)
    {
        _arr = arr;
    }

    /// <summary>The values. Live: do not hold on to it across edits, a merge appends to it.</summary>
    public IReadOnlyList<object?> Arr => _arr;

    public int Length => _arr.Count;

    public bool Countable => true;

    public int Ref => 8;

    public IReadOnlyList<object?> GetContent() => _arr;

    // Splice and merge change the list in place (yjs makes new arrays), so a copy needs its own list.
    public IContent Copy() => new ContentAny(new List<object?>(_arr));

    public IContent Splice(int offset)
    {
        var right = new ContentAny(_arr.GetRange(offset, _arr.Count - offset));
        _arr.RemoveRange(offset, _arr.Count - offset);
        return right;
    }

    public bool MergeWith(IContent right)
    {
        _arr.AddRange(((ContentAny)right)._arr);
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
            encoder.WriteAny(_arr[i]);
        }
    }

    public static ContentAny Read(IUpdateDecoder decoder)
    {
        var length = decoder.ReadLen();
        // Each value takes at least one byte, but the v2 length column cannot see the rest
        // stream, so grow the list as values arrive instead of trusting the count up front.
        var values = new List<object?>(Math.Min(length, 1024));
        for (var i = 0; i < length; i++)
        {
            values.Add(decoder.ReadAny());
        }
        return new ContentAny(values);
    }
}
