namespace P2PSync.Node.Sync;

/// <summary>What <see cref="ISyncDocumentSource.ApplyRemoteRecords"/> made of a batch of records.</summary>
/// <param name="Accepted">
/// The encoded records that were new and passed every check, in the order they arrived: they are
/// stored and applied, and are relayed as they are. Duplicates are not listed (that is what stops
/// records from circling a mesh forever).
/// </param>
/// <param name="Refusals">One human-readable line per refused record, for the log.</param>
internal sealed record RecordIntake(IReadOnlyList<byte[]> Accepted, IReadOnlyList<string> Refusals)
{
    /// <summary>Nothing accepted, nothing refused.</summary>
    public static RecordIntake Nothing { get; } = new([], []);
}
