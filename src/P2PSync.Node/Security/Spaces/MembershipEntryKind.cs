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

    /// <summary>
    /// An owner opens an invite redeemable through the relay: the entry names the invite key
    /// (derived from the invite secret) and the role; it authorises exactly one AddMember signed by
    /// that key, so a joiner gets in while no owner is online.
    /// </summary>
    OpenInvite = 5,

    /// <summary>An owner closes an open invite (expired, withdrawn or redeemed directly): its key can no longer add anyone.</summary>
    CloseInvite = 6,
}
