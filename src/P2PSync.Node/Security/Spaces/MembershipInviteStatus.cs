namespace P2PSync.Node.Security.Spaces;

/// <summary>Where an invite opened in a membership log stands.</summary>
internal enum MembershipInviteStatus
{
    /// <summary>Opened and neither claimed nor closed: one AddMember signed by its key is accepted.</summary>
    Open,

    /// <summary>An AddMember signed by its key was applied: the invite is used up.</summary>
    Claimed,

    /// <summary>An owner closed it (CloseInvite) before anyone claimed it.</summary>
    Closed,
}
