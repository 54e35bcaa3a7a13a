namespace P2PSync.Node.Sync;

/// <summary>A change a peer's update made to a local document (see <see cref="ISyncDocumentSource.ApplyRemoteUpdate"/>).</summary>
internal sealed record AppliedUpdate(string DocId, byte[] Update);
