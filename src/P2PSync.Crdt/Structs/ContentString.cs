using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>Text content (ref 4): one clock tick per UTF-16 code unit, like JS strings.</summary>
internal sealed class ContentString : IContent
{
    public ContentString(string str)
    {
        Str = str;
    }

    public string Str { get; private set; }

    public int Length => Str.Length;

    public bool Countable => true;

    public int Ref => 4;

    /// <summary>One single-unit string per clock tick (JS <c>str.split('')</c>).</summary>
    public IReadOnlyList<object?> GetContent()
    {
        var chars = new object?[Str.Length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Str[i].ToString();
        }
        return chars;
    }

    public IContent Copy() => new ContentString(Str);

    public IContent Splice(int offset)
    {
        var right = new ContentString(Str[offset..]);
        Str = Str[..offset];
        // Splitting a surrogate pair would leave two halves that cannot be encoded as UTF-8
        // (yjs issue #248); yjs replaces both halves with U+FFFD and so must we to stay in sync.
        if (offset > 0 && char.IsHighSurrogate(Str[offset - 1]))
        {
            Str = string.Concat(Str.AsSpan(0, offset - 1), "\ufffd");
            right.Str = right.Str.Length > 0 ? string.Concat("\ufffd", right.Str.AsSpan(1)) : "\ufffd";
        }
        return right;
    }

    public bool MergeWith(IContent right)
    {
        Str += ((ContentString)right).Str;
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

    public void Write(IUpdateEncoder encoder, int offset) =>
        encoder.WriteString(offset == 0 ? Str : Str[offset..]);

    public static ContentString Read(IUpdateDecoder decoder) => new(decoder.ReadString());
}
