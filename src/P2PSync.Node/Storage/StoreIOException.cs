namespace P2PSync.Node.Storage;

/// <summary>
/// SQLite could not complete an operation for a reason outside the caller's input: disk full,
/// an I/O error, the file locked by another process for longer than the busy timeout. The
/// transaction was rolled back, so nothing was half-written.
/// </summary>
internal sealed class StoreIOException : StoreException
{
    /// <summary>Creates the exception for the store at <paramref name="path"/>.</summary>
    public StoreIOException(string path, Exception inner)
        : base($"the store {path} could not complete the operation: {inner.Message}; nothing was changed", inner)
    {
    }
}
