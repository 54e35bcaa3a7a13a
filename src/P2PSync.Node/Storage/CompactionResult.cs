namespace P2PSync.Node.Storage;

/// <summary>What <see cref="DocumentRepository.Compact"/> did.</summary>
/// <param name="DocumentId">The compacted document.</param>
/// <param name="UptoSeq">The snapshot now covers every update with seq up to this (unchanged when nothing was merged).</param>
/// <param name="MergedUpdates">How many log entries were folded into the snapshot (0: nothing to do, or another compaction got there first).</param>
/// <param name="SnapshotBytes">Size of the snapshot after compaction (0 when the document has none).</param>
internal sealed record CompactionResult(string DocumentId, long UptoSeq, int MergedUpdates, long SnapshotBytes);
