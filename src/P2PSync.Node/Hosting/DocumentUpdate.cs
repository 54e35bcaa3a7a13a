namespace P2PSync.Node.Hosting;

/// <summary>
/// A change to a live document, raised by <see cref="DocumentHub"/> as soon as it is applied
/// (just before its commit).
/// </summary>
/// <param name="DocId">The document.</param>
/// <param name="Update">The change the document underwent, as a v1 update.</param>
/// <param name="Source">Who sent it (a websocket client, a peer session, a local verb), so relays can skip it.</param>
/// <param name="Records">
/// The signed records (encoded) that carry this change to other nodes: the one this node signed
/// for a local change, or the accepted records of a peer or a handoff. Empty when the hub does not
/// sign (tests of the hub alone).
/// </param>
internal sealed record DocumentUpdate(string DocId, byte[] Update, object Source, IReadOnlyList<byte[]> Records)
{
    public DocumentUpdate(string docId, byte[] update, object source)
        : this(docId, update, source, [])
    {
    }
}
