namespace P2PSync.Node.Security.Invites;

/// <summary>
/// An invite code (or link) that cannot be used: the message is written for the person who pasted
/// it, <see cref="Problem"/> is for code. It is a <see cref="FormatException"/> because the text,
/// not the network or the store, is at fault.
/// </summary>
internal sealed class InviteCodeException : FormatException
{
    public InviteCodeException(InviteCodeProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public InviteCodeProblem Problem { get; }
}
