namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// <see cref="Association.Send"/> refused a message: larger than the peer's max-message-size, empty,
/// on a stream that does not exist or is being reset, the send buffer is full, or the association is not open.
/// </summary>
internal sealed class SctpSendRefusedException : InvalidOperationException
{
    public SctpSendRefusedException(string message)
        : base(message)
    {
    }
}
