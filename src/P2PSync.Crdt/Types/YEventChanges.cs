using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>Everything an event changed (Yjs <c>event.changes</c>).</summary>
public sealed class YEventChanges
{
    internal YEventChanges(HashSet<Item> added, HashSet<Item> deleted, IReadOnlyDictionary<string, KeyChange> keys, IReadOnlyList<DeltaOp> delta)
    {
        Added = added;
        Deleted = deleted;
        Keys = keys;
        Delta = delta;
    }

    /// <summary>List items inserted by the transaction and still present.</summary>
    internal HashSet<Item> Added { get; }

    /// <summary>List items that existed before the transaction and were deleted by it.</summary>
    internal HashSet<Item> Deleted { get; }

    /// <summary>Number of items in <see cref="Added"/>.</summary>
    public int AddedCount => Added.Count;

    /// <summary>Number of items in <see cref="Deleted"/>.</summary>
    public int DeletedCount => Deleted.Count;

    /// <summary>Changed keys of the keyed content.</summary>
    public IReadOnlyDictionary<string, KeyChange> Keys { get; }

    /// <summary>The list change as a delta.</summary>
    public IReadOnlyList<DeltaOp> Delta { get; }
}
