namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// What a membership entry does. The numeric values are the wire encoding
/// (docs/protocol/membership-log.md) and must never be renumbered.
/// </summary>
internal enum MembershipEntryKind : byte
{
    /// <summary>A device joins the space with a role (the first entry is the creator adding itself as owner).</summary>
    AddMember = 1,

    /// <summary>A member's role changes.</summary>
    ChangeRole = 2,

    /// <summary>A member leaves the space (followed by a key rotation so it reads nothing new).</summary>
    RemoveMember = 3,

    /// <summary>The space's content key is replaced; the entry names the new key epoch.</summary>
    RotateKey = 4,
}
