namespace P2PSync.Node.Storage;

/// <summary>A stored space with everything the host needs to rebuild it at startup.</summary>
/// <param name="Id">The 16 space id bytes.</param>
/// <param name="Name">The space's human name.</param>
/// <param name="CreatedMs">When this node created or adopted it, Unix milliseconds.</param>
/// <param name="Personal">Whether it is this node's personal space.</param>
/// <param name="Entries">The encoded membership log entries, in order (index = entry seq).</param>
/// <param name="Keys">The protected content keys, by ascending epoch.</param>
internal sealed record SpaceRow(
    byte[] Id,
    string Name,
    long CreatedMs,
    bool Personal,
    IReadOnlyList<byte[]> Entries,
    IReadOnlyList<SpaceKeyRow> Keys)
{
    public bool Equals(SpaceRow? other) =>
        other is not null
        && StoreBlobs.SameBytes(Id, other.Id)
        && Name == other.Name
        && CreatedMs == other.CreatedMs
        && Personal == other.Personal
        && Entries.Count == other.Entries.Count
        && Entries.Zip(other.Entries).All(pair => StoreBlobs.SameBytes(pair.First, pair.Second))
        && Keys.SequenceEqual(other.Keys);

    public override int GetHashCode() => HashCode.Combine(StoreBlobs.HashOf(Id), Name, CreatedMs, Personal, Entries.Count, Keys.Count);
}
