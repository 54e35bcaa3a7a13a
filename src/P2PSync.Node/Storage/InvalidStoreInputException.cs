namespace P2PSync.Node.Storage;

/// <summary>
/// A value handed to the store (a document id or name, a peer address, update bytes, a state
/// vector) was rejected before anything was written. The message says which value and why.
/// </summary>
internal sealed class InvalidStoreInputException : StoreException
{
    /// <summary>Creates the exception; <paramref name="field"/> names the rejected value ("document name").</summary>
    public InvalidStoreInputException(string field, string reason, Exception? inner = null)
        : base($"invalid {field}: {reason}", inner)
    {
        Field = field;
    }

    /// <summary>Which value was rejected, e.g. "document id".</summary>
    public string Field { get; }
}
