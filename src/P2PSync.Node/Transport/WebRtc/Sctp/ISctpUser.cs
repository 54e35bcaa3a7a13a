namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// What an <see cref="Association"/> tells the layer above it (DCEP / data channels). Called from
/// inside HandleInput / HandleTimeout after the packet has been fully processed, never re-entrantly,
/// so the user may call Send or ResetStream from a callback.
/// </summary>
internal interface ISctpUser
{
    /// <summary>A whole user message arrived on stream <paramref name="streamId"/>.</summary>
    void OnMessage(ushort streamId, uint ppid, ReadOnlyMemory<byte> payload);

    /// <summary>One direction of a stream was reset: incoming (the peer closed its side) or outgoing (our reset was acknowledged).</summary>
    void OnStreamReset(ushort streamId, bool incoming);

    /// <summary>The association reached ESTABLISHED.</summary>
    void OnAssociationUp();

    /// <summary>The association ended (shutdown, abort by either side, or retransmissions exhausted). Called once.</summary>
    void OnAssociationDown(TransportClosedReason reason, string detail);
}
