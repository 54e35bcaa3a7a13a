namespace P2PSync.Node.Api;

/// <summary>A space, invite or join request was refused; <see cref="Problem"/> picks the status/exit code, the message is for the user.</summary>
internal sealed class SpaceRequestException : Exception
{
    public SpaceRequestException(SpaceRequestProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    public SpaceRequestProblem Problem { get; }
}
