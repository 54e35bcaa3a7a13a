namespace P2PSync.Crdt.Types;

/// <summary>What happened to a map key during a transaction (Yjs <c>'add' | 'update' | 'delete'</c>).</summary>
public enum KeyChangeAction
{
    Add,
    Update,
    Delete,
}
