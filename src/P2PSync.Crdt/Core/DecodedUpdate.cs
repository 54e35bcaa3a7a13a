using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Core;

/// <summary>
/// An update decoded and validated completely but not applied yet (phase 1 of applying an update),
/// so that malformed input is rejected before the doc changes.
/// </summary>
internal sealed class DecodedUpdate
{
    public DecodedUpdate(
        Dictionary<ulong, StructRefs> clientsStructRefs,
        List<Item> itemsWithRootParent,
        List<(ulong Client, List<DeleteItem> Items)> deleteSet)
    {
        ClientsStructRefs = clientsStructRefs;
        ItemsWithRootParent = itemsWithRootParent;
        DeleteSet = deleteSet;
    }

    /// <summary>Structs per client; a client listed twice keeps its last list, as in Yjs.</summary>
    public Dictionary<ulong, StructRefs> ClientsStructRefs { get; }

    /// <summary>Items whose parent is a root type by name, in wire order (resolving them creates root types in that order).</summary>
    public List<Item> ItemsWithRootParent { get; }

    /// <summary>The delete set entries in wire order.</summary>
    public List<(ulong Client, List<DeleteItem> Items)> DeleteSet { get; }
}
