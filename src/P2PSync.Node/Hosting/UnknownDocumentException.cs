namespace P2PSync.Node.Hosting;

/// <summary>A document id that this node does not have.</summary>
internal sealed class UnknownDocumentException : Exception
{
    public UnknownDocumentException(string docId)
        : base($"no document with id '{docId}'")
    {
        DocId = docId;
    }

    public string DocId { get; }
}
