using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// A garbage-collected run: the doc only remembers that these clock ticks existed and were deleted.
/// </summary>
internal sealed class GC : AbstractStruct
{
    /// <summary>Wire number of a GC struct in the info byte.</summary>
    public const int StructRef = 0;

    public GC(ID id, int length) : base(id, length)
    {
    }

    public override bool Deleted => true;

    public override bool MergeWith(AbstractStruct right)
    {
        if (right is not GC)
        {
            return false;
        }
        Length += right.Length;
        return true;
    }

    public override void Integrate(Transaction transaction, int offset)
    {
        if (offset > 0)
        {
            Id = new ID(Id.Client, Id.Clock + offset);
            Length -= offset;
        }
        Transaction.NoteStructAdded(transaction.Doc, Id.Client, Id.Clock);
        StructStore.AddStruct(transaction.Doc.Store, this);
    }

    public override void Write(IUpdateEncoder encoder, int offset)
    {
        encoder.WriteInfo(StructRef);
        encoder.WriteLen(Length - offset);
    }

    public override ulong? GetMissing(Transaction transaction, StructStore store) => null;
}
