using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Remembers that list position <see cref="Index"/> of a type starts at item <see cref="P"/>,
/// so that index lookups can start nearby instead of at the type's first item.
/// </summary>
internal sealed class ArraySearchMarker
{
    public ArraySearchMarker(Item p, int index, long timestamp)
    {
        p.Marker = true;
        P = p;
        Index = index;
        Timestamp = timestamp;
    }

    public Item P;

    public int Index;

    /// <summary>When the marker was last used, on its type's own clock; the stalest marker is recycled first.</summary>
    public long Timestamp;
}
