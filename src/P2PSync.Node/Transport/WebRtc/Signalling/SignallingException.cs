namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>
/// A signalling request that cannot be carried out: the relay was not reachable in time, the
/// client is closed, a queue is full, or a topic or message is out of bounds. The message says
/// which, naming the relay URL where it helps.
/// </summary>
internal sealed class SignallingException : Exception
{
    public SignallingException(string message)
        : base(message)
    {
    }

    public SignallingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
