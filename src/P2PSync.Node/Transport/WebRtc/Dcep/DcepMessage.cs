namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>One DCEP message: <see cref="DataChannelOpen"/> or <see cref="DataChannelAck"/>.</summary>
internal abstract record DcepMessage
{
    public abstract DcepMessageType Type { get; }
}
