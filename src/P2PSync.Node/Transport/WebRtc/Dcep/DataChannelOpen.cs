namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// DATA_CHANNEL_OPEN (RFC 8832 §5.1): asks the peer to create a channel on the stream it arrives on.
/// </summary>
/// <param name="ChannelType">Ordering and reliability of the channel.</param>
/// <param name="Priority">Any 16-bit value; <see cref="DataChannelPriority"/> names the usual ones.</param>
/// <param name="ReliabilityParameter">Retransmissions or milliseconds for the partial types; kept as sent (peers put 0) and ignored for the reliable ones.</param>
/// <param name="Label">The channel's label (UTF-8 on the wire, may be empty).</param>
/// <param name="Protocol">The sub-protocol name (UTF-8 on the wire, may be empty).</param>
internal sealed record DataChannelOpen(
    DataChannelType ChannelType,
    ushort Priority,
    uint ReliabilityParameter,
    string Label,
    string Protocol) : DcepMessage
{
    public override DcepMessageType Type => DcepMessageType.Open;

    public bool IsOrdered => ChannelType.IsOrdered();

    public DataChannelReliability Reliability => ChannelType.Reliability();
}
