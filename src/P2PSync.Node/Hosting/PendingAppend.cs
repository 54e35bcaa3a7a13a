namespace P2PSync.Node.Hosting;

/// <summary>An update the hub applied, waiting for its commit (collected per <see cref="DocumentHub.Batch{T}"/>, then queued on the <see cref="WriteBehindLog"/>).</summary>
/// <param name="Announce">What the batch raises as <see cref="DocumentHub.Updated"/>; null for structs still pending.</param>
internal sealed record PendingAppend(string DocId, byte[] Update, string Origin, DocumentUpdate? Announce);
