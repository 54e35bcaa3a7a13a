namespace P2PSync.Node.Storage;

/// <summary>An operation named a document id that this store does not have.</summary>
internal sealed class DocumentNotFoundException : StoreException
{
    /// <summary>Creates the exception for <paramref name="documentId"/>.</summary>
    public DocumentNotFoundException(string documentId)
        : base($"no document with id '{documentId}' in this store")
    {
        DocumentId = documentId;
    }

    /// <summary>The id that was asked for.</summary>
    public string DocumentId { get; }
}
