namespace P2PSync.Node.Api;

/// <summary>A handoff id this node does not know (answered 404).</summary>
internal sealed class UnknownHandoffException : Exception
{
    public UnknownHandoffException(string message)
        : base(message)
    {
    }
}
