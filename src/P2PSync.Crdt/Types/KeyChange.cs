using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// One entry of <see cref="YEvent.Keys"/>: how a key changed and the value it had before
/// the transaction (<see cref="Undefined.Value"/> when the key was added).
/// </summary>
public sealed class KeyChange
{
    internal KeyChange(KeyChangeAction action, object? oldValue)
    {
        Action = action;
        OldValue = oldValue;
    }

    public KeyChangeAction Action { get; }

    /// <summary>The value before the transaction; <see cref="Undefined.Value"/> for <see cref="KeyChangeAction.Add"/>.</summary>
    public object? OldValue { get; }

    public override string ToString() => $"{Action} (old: {OldValue ?? "null"})";
}
