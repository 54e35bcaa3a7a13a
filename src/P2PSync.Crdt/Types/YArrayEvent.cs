using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Types;

/// <summary>The changes a transaction made to a <see cref="YArray"/>.</summary>
public sealed class YArrayEvent : YEvent
{
    internal YArrayEvent(YArray target, Transaction transaction)
        : base(target, transaction)
    {
    }
}
