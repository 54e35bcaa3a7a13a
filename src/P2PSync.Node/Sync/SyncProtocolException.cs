namespace P2PSync.Node.Sync;

/// <summary>
/// A peer broke the sync protocol: a malformed envelope, sync message, state vector or update,
/// a message before Hello, a second Hello, an unsupported protocol version, or a sync frame for a
/// document it never announced. Thrown by <see cref="PeerSyncSession.OnEnvelope"/> after leaving
/// every document as it was; the host must close that connection (and only that one).
/// </summary>
internal sealed class SyncProtocolException : Exception
{
    public SyncProtocolException(string message) : base(message) { }

    public SyncProtocolException(string message, Exception inner) : base(message, inner) { }
}
