using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// One data channel as the <see cref="DataChannelMux"/> tracks it: what was agreed in the OPEN (or
/// out of band for a negotiated channel) and how far its close has come. Changed only by the mux.
/// </summary>
internal sealed class DataChannelMuxChannel
{
    public DataChannelMuxChannel(ushort streamId, DataChannelOpen description, bool negotiated, bool openedByPeer)
    {
        StreamId = streamId;
        Description = description;
        Negotiated = negotiated;
        OpenedByPeer = openedByPeer;

        // A negotiated channel has no DCEP exchange, and a peer's OPEN is answered at once: both are
        // acknowledged from the start. Only our own OPEN waits for the peer's ACK.
        Acknowledged = negotiated || openedByPeer;
    }

    public ushort StreamId { get; }

    /// <summary>Label, protocol, type, priority and reliability parameter (the OPEN's fields).</summary>
    public DataChannelOpen Description { get; }

    public bool Negotiated { get; }

    public bool OpenedByPeer { get; }

    public DataChannelMuxChannelState State { get; internal set; } = DataChannelMuxChannelState.Open;

    /// <summary>The peer's ACK arrived (or none is needed). Until then user messages go ordered.</summary>
    public bool Acknowledged { get; internal set; }

    /// <summary>Our outgoing half of the stream has been reset and the peer confirmed it.</summary>
    public bool OutgoingReset { get; internal set; }

    /// <summary>The peer reset its outgoing half (it will send nothing more).</summary>
    public bool IncomingReset { get; internal set; }

    public bool Ordered => Description.IsOrdered;

    /// <summary>What SCTP is asked for on each user message of this channel.</summary>
    public SctpReliability Reliability => Description.Reliability switch
    {
        DataChannelReliability.MaxRetransmits => SctpReliability.MaxRetransmits((int)Math.Min(Description.ReliabilityParameter, int.MaxValue)),
        DataChannelReliability.MaxLifetime => SctpReliability.MaxLifetime((int)Math.Min(Description.ReliabilityParameter, int.MaxValue)),
        _ => SctpReliability.Reliable,
    };
}
