using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// Legacy JSON values (ref 2, Yjs ContentJSON): like <see cref="ContentAny"/> but each value is
/// written as JSON text, with the bare word "undefined" standing for JS undefined.
/// </summary>
internal sealed class ContentJson : IContent
{
    private const string UndefinedText = "undefined";

    private readonly List<object?> _arr;

    public ContentJson(List<object?> arr)
    {
        _arr = arr;
    }

    /// <summary>The values. Live: do not hold on to it across edits, a merge appends to it.</summary>
    public IReadOnlyList<object?> Arr => _arr;

    public int Length => _arr.Count;

    public bool Countable => true;

    public int Ref => 2;

    public IReadOnlyList<object?> GetContent() => _arr;

    public IContent Copy() => new ContentJson(new List<object?>(_arr));

    public IContent Splice(int offset)
    {
        var right = new ContentJson(_arr.GetRange(offset, _arr.Count - offset));
        _arr.RemoveRange(offset, _arr.Count - offset);
        return right;
    }

    public bool MergeWith(IContent right)
    {
        _arr.AddRange(((ContentJson)right)._arr);
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
            var value = _arr[i];
            encoder.WriteString(value is Undefined ? UndefinedText : Lib0Any.ToJsonString(value));
        }
    }

    public static ContentJson Read(IUpdateDecoder decoder)
    {
        var length = decoder.ReadLen();
        var values = new List<object?>(Math.Min(length, 1024));
        for (var i = 0; i < length; i++)
        {
            var text = decoder.ReadString();
            values.Add(text == UndefinedText ? Undefined.Value : Lib0Any.ParseJson(text));
        }
        return new ContentJson(values);
    }
}
