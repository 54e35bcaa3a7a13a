namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>How hard SCTP tries to deliver a channel's messages (RFC 8831 §6.1, RFC 3758).</summary>
internal enum DataChannelReliability
{
    /// <summary>Retransmit until delivered.</summary>
    Reliable,

    /// <summary>Give a message up after a number of retransmissions (the reliability parameter).</summary>
    MaxRetransmits,

    /// <summary>Give a message up after a number of milliseconds (the reliability parameter).</summary>
    MaxLifetime,
}
