namespace P2PSync.Node.Security;

/// <summary>
/// The remote side broke the secure-channel protocol: a bad handshake, a frame that fails to
/// authenticate (tampered, replayed, reordered), a truncated or oversize message. The connection
/// it came from is unusable and must be closed; nothing else is affected.
/// </summary>
internal sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
