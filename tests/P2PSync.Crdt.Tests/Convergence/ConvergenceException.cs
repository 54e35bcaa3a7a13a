namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>Replicas of one seed ended in different states.</summary>
internal sealed class ConvergenceException : Exception
{
    public ConvergenceException(string message) : base(message)
    {
    }
}
