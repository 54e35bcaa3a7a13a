namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>What the first byte of a datagram on the shared ICE socket says it is (RFC 7983, RFC 9443).</summary>
internal enum DatagramKind
{
    /// <summary>0..3: STUN, handled by the ICE agent.</summary>
    Stun,

    /// <summary>16..19: ZRTP; not ours, dropped.</summary>
    Zrtp,

    /// <summary>20..63: DTLS records, handed up once the path has a valid STUN exchange.</summary>
    Dtls,

    /// <summary>64..79: TURN ChannelData; dropped until we speak TURN.</summary>
    TurnChannel,

    /// <summary>128..191: RTP/RTCP; a data-only stack drops it.</summary>
    Rtp,

    /// <summary>Empty or any other first byte; dropped.</summary>
    Unknown,
}
