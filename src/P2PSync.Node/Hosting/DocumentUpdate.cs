namespace P2PSync.Node.Hosting;

/// <summary>
/// A change to a live document, raised by <see cref="DocumentHub"/> only after it is durable.
/// </summary>
/// <param name="DocId">The document.</param>
/// <param name="Update">The change the document underwent, as a v1 update.</param>
/// <param name="Source">Who sent it (a websocket client, a peer session, a local verb), so relays can skip it.</param>
internal sealed record DocumentUpdate(string DocId, byte[] Update, object Source);
