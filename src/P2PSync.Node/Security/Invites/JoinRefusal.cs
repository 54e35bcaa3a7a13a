namespace P2PSync.Node.Security.Invites;

/// <summary>
/// Why an inviter turns a join request away. The joiner sees the matching sentence from
/// <see cref="JoinRefusalMessages"/>; logs and tests tell the cases apart by the value.
/// </summary>
internal enum JoinRefusal
{
    /// <summary>No pending invite has the request's invite id (never issued here, cancelled, or malformed).</summary>
    UnknownInvite,

    /// <summary>The invite was already redeemed; codes are one-time.</summary>
    AlreadyUsed,

    /// <summary>The request arrived at or after the invite's expiry.</summary>
    Expired,

    /// <summary>The proof does not match the invite's secret for this joiner, inviter and space.</summary>
    BadProof,

    /// <summary>The joining device is already a member of the space.</summary>
    AlreadyMember,
}
