namespace P2PSync.Node.Hosting;

/// <summary>No space here matches what the user or caller named.</summary>
internal sealed class UnknownSpaceException : KeyNotFoundException
{
    public UnknownSpaceException(string message)
        : base(message)
    {
    }
}
