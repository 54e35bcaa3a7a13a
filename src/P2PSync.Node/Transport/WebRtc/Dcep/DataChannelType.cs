namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// The channel type byte of DATA_CHANNEL_OPEN (RFC 8832 §5.1, §8.2.2). The high bit (0x80) means
/// unordered; the low bits say how reliable the channel is and what the reliability parameter counts.
/// </summary>
internal enum DataChannelType : byte
{
    /// <summary>Every message arrives, in order; the reliability parameter is ignored.</summary>
    Reliable = 0x00,

    /// <summary>Every message arrives, in any order.</summary>
    ReliableUnordered = 0x80,

    /// <summary>Ordered; a message is retransmitted at most "reliability parameter" times.</summary>
    PartialReliableRexmit = 0x01,

    /// <summary>Unordered; a message is retransmitted at most "reliability parameter" times.</summary>
    PartialReliableRexmitUnordered = 0x81,

    /// <summary>Ordered; a message is given up after "reliability parameter" milliseconds.</summary>
    PartialReliableTimed = 0x02,

    /// <summary>Unordered; a message is given up after "reliability parameter" milliseconds.</summary>
    PartialReliableTimedUnordered = 0x82,
}
