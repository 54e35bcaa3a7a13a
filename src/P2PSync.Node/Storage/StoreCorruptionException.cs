namespace P2PSync.Node.Storage;

/// <summary>
/// Something already stored cannot be read back: an update or snapshot blob that does not
/// decode, or a peer row with an unreadable device id. Raising this never deletes or rewrites
/// the bad row, so the data stays available for inspection or repair.
/// </summary>
internal sealed class StoreCorruptionException : StoreException
{
    /// <summary>Creates the exception; <paramref name="documentId"/> and <paramref name="seq"/> locate the bad row when known.</summary>
    public StoreCorruptionException(string message, string? documentId, long? seq, Exception? inner = null)
        : base(message, inner)
    {
        DocumentId = documentId;
        Seq = seq;
    }

    /// <summary>The document the bad row belongs to, when the row belongs to a document.</summary>
    public string? DocumentId { get; }

    /// <summary>The log sequence number of the bad update (for a snapshot: the seq it covers up to).</summary>
    public long? Seq { get; }
}
