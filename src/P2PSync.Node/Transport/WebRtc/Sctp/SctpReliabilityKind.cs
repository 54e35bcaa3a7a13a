namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>The three reliability modes of a data channel (RFC 8831 §6.1).</summary>
internal enum SctpReliabilityKind
{
    Reliable,
    MaxRetransmits,
    MaxLifetimeMs,
}
