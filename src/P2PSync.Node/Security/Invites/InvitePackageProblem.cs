namespace P2PSync.Node.Security.Invites;

/// <summary>Why an invite package found on the relay was refused (docs/protocol/join.md, "Through the relay").</summary>
internal enum InvitePackageProblem
{
    /// <summary>Not a sealed envelope, not an invite package, or its bytes do not parse.</summary>
    Malformed,

    /// <summary>It does not open under the box key of this invite's secret: altered, or sealed by someone without the secret.</summary>
    Forged,

    /// <summary>The inviter's signature over the package does not verify.</summary>
    BadSignature,

    /// <summary>Signed by another device than the inviter the code names.</summary>
    WrongInviter,

    /// <summary>It names another invite or another space than the code.</summary>
    WrongInvite,

    /// <summary>Its membership log does not verify (signatures, chain, authority) or holds no key.</summary>
    InvalidLog,

    /// <summary>The log does not make the inviter an owner.</summary>
    InviterNotOwner,

    /// <summary>The log never opened this invite's key.</summary>
    NotOpened,

    /// <summary>The invite was already claimed by some device.</summary>
    Claimed,

    /// <summary>An owner closed the invite (expired, withdrawn, or redeemed directly).</summary>
    Closed,

    /// <summary>The invite in the log gives another role than the code says.</summary>
    RoleMismatch,

    /// <summary>The joining device is already a member of the space.</summary>
    AlreadyMember,
}
