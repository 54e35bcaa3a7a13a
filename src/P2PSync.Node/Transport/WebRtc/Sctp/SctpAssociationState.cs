namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>Association states of RFC 9260 §4 (CLOSED covers both "never started" and "ended").</summary>
internal enum SctpAssociationState
{
    Closed,
    CookieWait,
    CookieEchoed,
    Established,
    ShutdownPending,
    ShutdownSent,
    ShutdownReceived,
    ShutdownAckSent,
}
