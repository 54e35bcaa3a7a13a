namespace P2PSync.Node.Storage;

/// <summary>
/// One document as the store lists it.
/// </summary>
/// <param name="Id">The document id (see <see cref="DocumentIds"/>).</param>
/// <param name="Name">The human name.</param>
/// <param name="CreatedMs">Creation time, Unix milliseconds.</param>
/// <param name="NameChangedMs">When the name was last set (renames resolve last-writer-wins); the creation time for never-renamed documents created under schema 2, 0 for older ones.</param>
/// <param name="NameChangedBy">DeviceId text of the device that set the name; empty when unknown (rows from schema 1 and 2, renames by a store without a device key).</param>
/// <param name="HeadSeq">Sequence number of the newest update (0 when none was ever appended).</param>
/// <param name="SnapshotSeq">Updates up to this seq are compacted into the snapshot (0 = no snapshot).</param>
internal sealed record DocumentInfo(
    string Id,
    string Name,
    long CreatedMs,
    long NameChangedMs,
    string NameChangedBy,
    long HeadSeq,
    long SnapshotSeq)
{
    /// <summary>Updates still in the log, not yet compacted (seqs are dense, so this is exact).</summary>
    public long LogLength => HeadSeq - SnapshotSeq;

    /// <summary>The name with its stamp, as last-writer-wins renames compare it.</summary>
    public NameVersion NameVersion => new(Name, NameChangedMs, NameChangedBy);

    /// <summary>
    /// The 16 id bytes of the space the document belongs to; null only for documents from
    /// schema 3 and older until the node assigns its personal space (never changes once set).
    /// </summary>
    public byte[]? SpaceId { get; init; }

    // Compares SpaceId by content: a record would compare the array by reference.
    public bool Equals(DocumentInfo? other) =>
        other is not null
        && Id == other.Id
        && Name == other.Name
        && CreatedMs == other.CreatedMs
        && NameChangedMs == other.NameChangedMs
        && NameChangedBy == other.NameChangedBy
        && HeadSeq == other.HeadSeq
        && SnapshotSeq == other.SnapshotSeq
        && StoreBlobs.SameBytes(SpaceId, other.SpaceId);

    public override int GetHashCode() =>
        HashCode.Combine(Id, Name, CreatedMs, NameChangedMs, NameChangedBy, HeadSeq, SnapshotSeq, StoreBlobs.HashOf(SpaceId));
}
