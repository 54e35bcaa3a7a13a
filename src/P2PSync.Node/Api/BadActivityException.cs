namespace P2PSync.Node.Api;

/// <summary>A PUT /api/activity that cannot be turned into an activity (answered 400; 404 for <see cref="UnknownDocument"/>).</summary>
internal sealed class BadActivityException : Exception
{
    public BadActivityException(string message, bool unknownDocument = false, Exception? inner = null)
        : base(message, inner)
    {
        UnknownDocument = unknownDocument;
    }

    /// <summary>The request names a document this node does not have.</summary>
    public bool UnknownDocument { get; }
}
