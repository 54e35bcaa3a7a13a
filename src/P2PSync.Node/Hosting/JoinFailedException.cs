namespace P2PSync.Node.Hosting;

/// <summary>Redeeming an invite did not work: the inviter refused, could not be reached, or answered nonsense. The message says which, for the user.</summary>
internal sealed class JoinFailedException : Exception
{
    public JoinFailedException(string message)
        : base(message)
    {
    }

    public JoinFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
