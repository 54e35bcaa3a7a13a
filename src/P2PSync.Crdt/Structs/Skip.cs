using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// A gap in a merged or diffed update: ticks the update deliberately does not carry.
/// Skips never enter a doc's store; they only keep the following structs' clocks right.
/// </summary>
internal sealed class Skip : AbstractStruct
{
    /// <summary>Wire number of a Skip struct in the info byte.</summary>
    public const int StructRef = 10;

    public Skip(ID id, int length) : base(id, length)
    {
    }

    public override bool Deleted => true;

    public override bool MergeWith(AbstractStruct right)
    {
        if (right is not Skip)
        {
            return false;
        }
        Length += right.Length;
        return true;
    }

    public override void Integrate(Transaction transaction, int offset) =>
        throw new InvalidOperationException("A Skip struct cannot be integrated into a document.");

    public override void Write(IUpdateEncoder encoder, int offset)
    {
        encoder.WriteInfo(StructRef);
        // Skip lengths go to the rest stream as a plain varuint: they are too irregular for the v2 length column.
        encoder.RestWriter.WriteVarUint((ulong)(Length - offset));
    }

    public override ulong? GetMissing(Transaction transaction, StructStore store) => null;
}
