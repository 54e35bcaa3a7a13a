namespace P2PSync.Node.Storage;

/// <summary>
/// The node store could not be opened: the file is not SQLite, is damaged, belongs to
/// something else, or was written by a newer schema. The file is left exactly as it was.
/// </summary>
internal sealed class StoreOpenException : StoreException
{
    /// <summary>Creates the exception with a message meant for the person running the node.</summary>
    public StoreOpenException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
