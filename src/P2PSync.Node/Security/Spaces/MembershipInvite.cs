namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// An invite opened in a space's membership log (OpenInvite): the role it grants and whether it
/// can still be claimed. Immutable; the log replaces it when the invite is claimed or closed.
/// </summary>
/// <param name="Role">The role the one AddMember signed by the invite key must give (editor or viewer).</param>
/// <param name="Status">Open until an AddMember signed by the invite key claims it or an owner closes it.</param>
internal sealed record MembershipInvite(SpaceRole Role, MembershipInviteStatus Status);
