namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>A check to send ahead of the ordinary schedule; <see cref="UseCandidate"/> marks a controlling nomination.</summary>
internal sealed record TriggeredCheck(CandidatePair Pair, bool UseCandidate);
