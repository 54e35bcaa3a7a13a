namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>Result codes of a Re-configuration Response (RFC 6525 §4.4).</summary>
internal enum ReConfigResult : uint
{
    SuccessNothingToDo = 0,
    SuccessPerformed = 1,
    Denied = 2,
    ErrorWrongSsn = 3,
    ErrorRequestAlreadyInProgress = 4,
    ErrorBadSequenceNumber = 5,
    InProgress = 6,
}
