using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Core;

public sealed partial class Transaction
{
    // A transaction object is allocated per keystroke, and most of its optional state is never
    // used by a single local edit; keeping those fields in one lazily created object shrinks
    // every transaction by the size of the fields.
    private RareState? _rare;

    private RareState Rare => _rare ??= new RareState();

    /// <summary>The state of a transaction that only some transactions need.</summary>
    private sealed class RareState
    {
        public Dictionary<object, object?>? Meta;

        public HashSet<Doc>? SubdocsAdded;

        public HashSet<Doc>? SubdocsRemoved;

        public HashSet<Doc>? SubdocsLoaded;

        /// <summary>The before-state copied when the transaction left the cleanup queue (see FreezeBeforeState).</summary>
        public Dictionary<ulong, int>? FrozenBeforeState;

        /// <summary>Client to position in the client clock changes, once there are many clients.</summary>
        public Dictionary<ulong, int>? ClientClockIndex;

        /// <summary>Type to position in the changed types, once there are many types.</summary>
        public Dictionary<AbstractType, int>? ChangedIndex;
    }
}
