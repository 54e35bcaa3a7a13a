using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Core;

/// <summary>A type a transaction changed directly, with what changed in it.</summary>
internal struct ChangedType
{
    public ChangedType(AbstractType type, HashSet<string?>? subs)
    {
        Type = type;
        Subs = subs;
    }

    public AbstractType Type;

    /// <summary>
    /// The changed keys, null standing for a change of the list content. Null itself means "only
    /// the list content changed", by far the most common case, which then needs no set at all.
    /// </summary>
    public HashSet<string?>? Subs;
}
