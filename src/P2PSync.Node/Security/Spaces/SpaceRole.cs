namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// What a member of a space may do. The numeric values are the wire encoding
/// (docs/protocol/membership-log.md) and must never be renumbered.
/// </summary>
internal enum SpaceRole : byte
{
    /// <summary>Reads, writes, and signs membership entries (adds, removes, re-roles, rotates the key).</summary>
    Owner = 1,

    /// <summary>Reads and writes documents.</summary>
    Editor = 2,

    /// <summary>Reads documents only; its updates are rejected.</summary>
    Viewer = 3,
}
