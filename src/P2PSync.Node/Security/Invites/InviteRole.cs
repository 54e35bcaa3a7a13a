namespace P2PSync.Node.Security.Invites;

/// <summary>
/// The role an invite grants. Owner is deliberately absent: ownership is never handed out by a
/// code that could be forwarded or leaked, only by a signed membership entry from an owner.
/// The numeric values are the byte written in the invite code, so they must never change.
/// </summary>
internal enum InviteRole : byte
{
    Editor = 1,
    Viewer = 2,
}
