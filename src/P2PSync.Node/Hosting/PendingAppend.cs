using P2PSync.Node.Storage;

namespace P2PSync.Node.Hosting;

/// <summary>
/// What the hub applied, waiting for its commit (collected per <see cref="DocumentHub.Batch{T}"/>,
/// then queued on the <see cref="WriteBehindLog"/>): an update for the document's log, and/or the
/// signed records that carry it. Both commit in the same transaction, so a stored change always has
/// its record and a peer can always be served what we hold.
/// </summary>
/// <param name="Update">The v1 update for the log; null for a record whose content the document already had.</param>
/// <param name="Announce">What the batch raises as <see cref="DocumentHub.Updated"/>; null for structs still pending.</param>
/// <param name="Local">Written on this device (websocket client, API, CLI): the hub signs it before queueing.</param>
internal sealed record PendingAppend(string DocId, byte[]? Update, string Origin, DocumentUpdate? Announce, bool Local = false)
{
    /// <summary>Signed records committed with this entry.</summary>
    public IReadOnlyList<RecordRow> Records { get; init; } = [];
}
