namespace P2PSync.Node.Hosting;

/// <summary>An update applied inside a <see cref="DocumentHub.Batch{T}"/>, waiting for the batch's one commit.</summary>
/// <param name="Announce">What to raise as <see cref="DocumentHub.Updated"/> after the commit; null for structs still pending.</param>
internal sealed record PendingAppend(string DocId, byte[] Update, string Origin, DocumentUpdate? Announce);
