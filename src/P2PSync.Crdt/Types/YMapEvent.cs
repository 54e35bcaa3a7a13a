using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Types;

/// <summary>The changes a transaction made to a <see cref="YMap"/>.</summary>
public sealed class YMapEvent : YEvent
{
    internal YMapEvent(YMap target, Transaction transaction, HashSet<string?> subs)
        : base(target, transaction)
    {
        KeysChanged = subs;
    }

    /// <summary>The keys the transaction touched (some may have ended up unchanged; see <see cref="YEvent.Keys"/>).</summary>
    public IReadOnlySet<string?> KeysChanged { get; }
}
