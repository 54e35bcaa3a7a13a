namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>DATA_CHANNEL_ACK: the single byte 0x02, sent on the stream an OPEN arrived on.</summary>
internal sealed record DataChannelAck : DcepMessage
{
    /// <summary>The message has no fields, so one instance serves everyone (it is immutable).</summary>
    public static readonly DataChannelAck Instance = new();

    private DataChannelAck()
    {
    }

    public override DcepMessageType Type => DcepMessageType.Ack;
}
