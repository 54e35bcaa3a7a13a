namespace P2PSync.Node.Storage;

/// <summary>
/// One signed record as the store keeps it: the exact encoded bytes (relayed byte for byte)
/// filed under (document, author key, author seq). The store never parses <see cref="Record"/>;
/// the caller has decoded and verified it.
/// </summary>
/// <param name="DocId">The document the record belongs to.</param>
/// <param name="Author">The author's Ed25519 public key, 32 bytes.</param>
/// <param name="Seq">The author's sequence number for this document, from 1.</param>
/// <param name="Record">The encoded SignedRecord.</param>
internal sealed record RecordRow(string DocId, byte[] Author, ulong Seq, byte[] Record)
{
    /// <summary>The largest record stored (docs/protocol/signed-record.md: a whole record is at most 64 MiB).</summary>
    public const int MaxRecordBytes = 64 * 1024 * 1024;

    /// <summary>Throws <see cref="InvalidStoreInputException"/> naming the first field that cannot be stored.</summary>
    public void Validate()
    {
        DocumentIds.Validate(DocId);
        StoreBlobs.RequireLength(Author, StoreBlobs.AuthorKeyLength, "record author");

        // SQLite integers are signed 64-bit; seq 0 does not exist (seqs count from 1).
        if (Seq is 0 or > long.MaxValue)
        {
            throw new InvalidStoreInputException("record seq", $"it is {Seq}; it must be 1..{long.MaxValue}");
        }

        StoreBlobs.RequireBlob(Record, MaxRecordBytes, "record");
    }

    public bool Equals(RecordRow? other) =>
        other is not null
        && DocId == other.DocId
        && Seq == other.Seq
        && StoreBlobs.SameBytes(Author, other.Author)
        && StoreBlobs.SameBytes(Record, other.Record);

    public override int GetHashCode() => HashCode.Combine(DocId, Seq, StoreBlobs.HashOf(Author), StoreBlobs.HashOf(Record));
}
