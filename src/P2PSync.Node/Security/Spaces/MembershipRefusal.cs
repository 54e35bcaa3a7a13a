namespace P2PSync.Node.Security.Spaces;

/// <summary>Why <see cref="MembershipLog"/> refused an entry; tests and logs tell the cases apart by it.</summary>
internal enum MembershipRefusal
{
    /// <summary>The entry names another space.</summary>
    WrongSpace,

    /// <summary>The signature does not verify against the author's key for this entry's bytes.</summary>
    BadSignature,

    /// <summary>The first entry is not the creator adding itself as owner at sequence 0 with an all-zero previous hash.</summary>
    BadGenesis,

    /// <summary>A different entry was already applied at this sequence number (a fork of the chain).</summary>
    Fork,

    /// <summary>The sequence number is beyond the next one; earlier entries are missing.</summary>
    Gap,

    /// <summary>The previous-entry hash is not the hash of the log's last entry.</summary>
    BrokenChain,

    /// <summary>The author is not an owner of the space at this point of the log.</summary>
    NotAnOwner,

    /// <summary>AddMember for a device that is already a member (use ChangeRole).</summary>
    AlreadyMember,

    /// <summary>ChangeRole or RemoveMember for a device that is not a member.</summary>
    NotAMember,

    /// <summary>The change would leave the space with no owner, so no one could ever manage it again.</summary>
    LastOwner,

    /// <summary>RotateKey does not name the epoch right after the current one.</summary>
    BadEpoch,

    /// <summary>OpenInvite for an invite key that was opened before (each invite key is opened once, ever).</summary>
    InviteAlreadyOpened,

    /// <summary>OpenInvite with a role other than editor or viewer (an owner is never invited).</summary>
    BadInviteRole,

    /// <summary>AddMember signed by an invite key, or CloseInvite, for an invite that was never opened, is claimed or is closed.</summary>
    InviteNotOpen,

    /// <summary>AddMember signed by an invite key with a role other than the one the invite was opened with.</summary>
    InviteRoleMismatch,
}
