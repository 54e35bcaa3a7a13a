namespace P2PSync.Node.Sync;

/// <summary>
/// Signed records a peer sent that were accepted into a local document: the exact bytes, to relay
/// to every other peer that can see the document's space (see <see cref="SyncCoordinator{TKey}"/>).
/// </summary>
internal sealed record AppliedRecords(string DocId, IReadOnlyList<byte[]> Records);
