namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>Per-stream ordered delivery state: the next SSN owed to the user and whole messages that came early.</summary>
internal sealed class InboundStream
{
    public ushort NextSsn { get; set; }

    public Dictionary<ushort, ReceivedMessage> Waiting { get; } = [];
}
