namespace P2PSync.Node.Security.Invites;

/// <summary>
/// The sentence a joining user reads for each <see cref="JoinRefusal"/> (sent as JoinResult.reason
/// and printed by <c>p2psync join</c>). Each says what happened and what to do about it, and none
/// reveals more than the joiner could already know from its own code.
/// </summary>
internal static class JoinRefusalMessages
{
    public static string Describe(JoinRefusal refusal) => refusal switch
    {
        JoinRefusal.UnknownInvite => "this invite is not known to the inviting device (it was never issued there, or was cancelled); ask for a new invite",
        JoinRefusal.AlreadyUsed => "this invite was already used; each invite code works once, ask for a new one",
        JoinRefusal.Expired => "this invite has expired; ask for a new one",
        JoinRefusal.BadProof => "this invite code does not match the inviter's copy (was it edited or mistyped?); check the code or ask for a new one",
        JoinRefusal.AlreadyMember => "this device is already a member of the space",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a join refusal."),
    };
}
