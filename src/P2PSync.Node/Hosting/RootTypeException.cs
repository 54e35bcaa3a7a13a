namespace P2PSync.Node.Hosting;

/// <summary>A root that a verb wants as text already holds another kind of type.</summary>
internal sealed class RootTypeException : Exception
{
    public RootTypeException(string root, Exception inner)
        : base($"root '{root}' of this document is not a text", inner)
    {
    }
}
