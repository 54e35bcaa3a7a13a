namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Where a candidate address came from (RFC 8445 §5.1.1); the SDP token is in the comment.</summary>
internal enum IceCandidateType
{
    /// <summary>"host": an address of one of our interfaces.</summary>
    Host,

    /// <summary>"srflx": our address as a STUN server saw it.</summary>
    ServerReflexive,

    /// <summary>"prflx": an address learned from a connectivity check.</summary>
    PeerReflexive,

    /// <summary>"relay": an address on a TURN server (parsed, never paired: we speak no TURN).</summary>
    Relay,
}
