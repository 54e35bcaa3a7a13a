namespace P2PSync.Node.Transport.WebRtc;

/// <summary>Why a datagram transport ended.</summary>
internal enum TransportClosedReason
{
    /// <summary>This side closed it.</summary>
    ClosedLocally,

    /// <summary>The other side closed it (DTLS close_notify, SCTP SHUTDOWN or ABORT).</summary>
    ClosedByPeer,

    /// <summary>The path stopped answering (ICE consent expired, retransmissions exhausted).</summary>
    TimedOut,

    /// <summary>The other side broke the protocol (a fatal alert, a forged handshake, a bad fingerprint).</summary>
    ProtocolError,
}
