namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>RFC 8445 §6.1.2.6 pair states.</summary>
internal enum CandidatePairState
{
    Frozen,
    Waiting,
    InProgress,
    Succeeded,
    Failed,
}
