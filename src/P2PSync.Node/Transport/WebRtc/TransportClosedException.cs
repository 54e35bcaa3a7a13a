namespace P2PSync.Node.Transport.WebRtc;

/// <summary>A send or receive on a datagram transport that has ended; <see cref="Reason"/> says why.</summary>
internal sealed class TransportClosedException : IOException
{
    public TransportClosedException(TransportClosedReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public TransportClosedReason Reason { get; }
}
