using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// Placeholder for deleted content whose values were dropped (ref 1): keeps only the length
/// so clocks stay consistent.
/// </summary>
internal sealed class ContentDeleted : IContent
{
    public ContentDeleted(int len)
    {
        Len = len;
    }

    public int Len { get; private set; }

    public int Length => Len;

    public bool Countable => false;

    public int Ref => 1;

    public IReadOnlyList<object?> GetContent() => [];

    public IContent Copy() => new ContentDeleted(Len);

    public IContent Splice(int offset)
    {
        var right = new ContentDeleted(Len - offset);
        Len = offset;
        return right;
    }

    public bool MergeWith(IContent right)
    {
        Len += ((ContentDeleted)right).Len;
        return true;
    }

    /// <summary>Content that arrives already deleted is recorded as deleted by this transaction.</summary>
    public void Integrate(Transaction transaction, Item item)
    {
        DeleteSet.AddToDeleteSet(transaction.DeleteSet, item.Id.Client, item.Id.Clock, Len);
        item.MarkDeleted();
    }

    public void Delete(Transaction transaction)
    {
    }

    public void Gc(StructStore store)
    {
    }

    public void Write(IUpdateEncoder encoder, int offset) => encoder.WriteLen(Len - offset);

    public static ContentDeleted Read(IUpdateDecoder decoder) => new(decoder.ReadLen());
}
