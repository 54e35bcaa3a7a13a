namespace P2PSync.Node.Storage;

/// <summary>
/// Base of every error the store raises on purpose, so a caller (a CLI verb, the API, the sync
/// host) can tell "the store refused this, with a message for a person" from a programming bug.
/// </summary>
internal abstract class StoreException : Exception
{
    /// <summary>Creates the exception with a message meant for the person running the node.</summary>
    protected StoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
