namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>What <see cref="IceAgent.HandleDatagram"/> did with a datagram.</summary>
internal enum IceInputResult
{
    /// <summary>STUN, consumed by the agent.</summary>
    Stun,

    /// <summary>DTLS from a verified path: the caller hands it to the layer above.</summary>
    Application,

    /// <summary>Bad, foreign or unverified: counted and dropped.</summary>
    Dropped,
}
