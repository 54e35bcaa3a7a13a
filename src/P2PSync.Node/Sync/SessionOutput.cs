namespace P2PSync.Node.Sync;

/// <summary>What handling one incoming envelope produced.</summary>
/// <param name="Replies">Envelopes to send back on the same connection, in order.</param>
/// <param name="AppliedUpdates">Changes the envelope made to local documents, to relay to other peers.</param>
/// <param name="ChangedDocuments">Documents created or renamed by the envelope, to announce to other peers.</param>
internal sealed record SessionOutput(
    IReadOnlyList<P2PSync.Protocol.Wire.Envelope> Replies,
    IReadOnlyList<AppliedUpdate> AppliedUpdates,
    IReadOnlyList<SyncDocument> ChangedDocuments);
