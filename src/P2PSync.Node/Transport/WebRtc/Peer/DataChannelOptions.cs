namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>
/// How a channel delivers, as RTCDataChannelInit: ordered or not, and at most one of
/// <see cref="MaxRetransmits"/> and <see cref="MaxPacketLifeTimeMs"/> for partial reliability.
/// </summary>
internal sealed record DataChannelOptions
{
    public bool Ordered { get; init; } = true;

    /// <summary>Give a message up after this many retransmissions (0 = sent once).</summary>
    public int? MaxRetransmits { get; init; }

    /// <summary>Give a message up this many milliseconds after it was queued.</summary>
    public int? MaxPacketLifeTimeMs { get; init; }

    /// <summary>The sub-protocol name carried in the DCEP OPEN.</summary>
    public string Protocol { get; init; } = string.Empty;

    /// <summary>
    /// A stream id both sides agreed on out of band (the browser's negotiated: true, id): no DCEP is
    /// sent, and the peer must create the same channel itself. Null lets us pick one and send OPEN.
    /// </summary>
    public ushort? NegotiatedId { get; init; }

    /// <summary>DCEP priority (256 = normal, what browsers send).</summary>
    public ushort Priority { get; init; } = Dcep.DataChannelPriority.Normal;

    /// <exception cref="ArgumentException">Both limits set, or a negative one.</exception>
    public void Validate()
    {
        if (MaxRetransmits is not null && MaxPacketLifeTimeMs is not null)
        {
            throw new ArgumentException("a data channel takes MaxRetransmits or MaxPacketLifeTimeMs, not both");
        }

        if (MaxRetransmits < 0 || MaxPacketLifeTimeMs < 0)
        {
            throw new ArgumentException("MaxRetransmits and MaxPacketLifeTimeMs cannot be negative");
        }
    }
}
