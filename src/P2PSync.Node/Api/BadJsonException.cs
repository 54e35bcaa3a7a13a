namespace P2PSync.Node.Api;

/// <summary>A request body that is not the JSON an endpoint takes (answered 400).</summary>
internal sealed class BadJsonException : Exception
{
    public BadJsonException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
