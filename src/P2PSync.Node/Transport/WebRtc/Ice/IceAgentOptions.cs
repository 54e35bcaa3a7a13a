namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Timing and behaviour knobs of <see cref="IceAgent"/>; the defaults are the values in webrtc-notes §1 and §9.</summary>
internal sealed record IceAgentOptions
{
    /// <summary>Ta: pacing between new checks (RFC 8445 §14.2).</summary>
    public int PacingMs { get; init; } = 50;

    /// <summary>Floor of a check's first retransmission timeout.</summary>
    public int MinRtoMs { get; init; } = 500;

    /// <summary>
    /// Ceiling of the doubling retransmission timeout. Without it the fifth send would wait 4 s and
    /// the 8 s limit would cut a check at 5 sends; capped, it gets all 7 (0, 0.5, 1.5, 3.1, 4.7, 6.3,
    /// 7.9 s), and a lossy path is retried instead of left silent.
    /// </summary>
    public int MaxRtoMs { get; init; } = 1600;

    /// <summary>Sends of one check before its pair fails (Rc); the RFC leaves the number to us.</summary>
    public int MaxSends { get; init; } = 7;

    /// <summary>Wall time after which an unanswered check fails whatever its send count.</summary>
    public int TransactionTimeoutMs { get; init; } = 8000;

    /// <summary>
    /// Once every pair has failed and both sides have no more candidates, how long to wait for a
    /// peer-reflexive pair (a check from an address we were not told) before reporting Failed.
    /// </summary>
    public int FailureGraceMs { get; init; } = 5000;

    /// <summary>Controlling side: how long to let better pairs finish after the first valid one before nominating.</summary>
    public int NominationSettleMs { get; init; } = 100;

    /// <summary>
    /// Controlling side: put USE-CANDIDATE on every check as Chromium does, selecting the first pair
    /// that answers (and a better one later). Off by default: regular nomination is what RFC 8445 keeps.
    /// </summary>
    public bool NominateOnEveryCheck { get; init; }

    /// <summary>Consent checks are sent every interval drawn uniformly from [min, max] (RFC 7675 §5.1).</summary>
    public int ConsentIntervalMinMs { get; init; } = 4000;

    public int ConsentIntervalMaxMs { get; init; } = 6000;

    /// <summary>
    /// No authenticated answer on the selected pair for this long reports Disconnected. Longer than
    /// the widest consent interval, so one check in flight is not mistaken for a silent path.
    /// </summary>
    public int DisconnectedAfterMs { get; init; } = 8000;

    /// <summary>No authenticated answer for this long: consent expired, the path may carry no more data (RFC 7675: 30 s).</summary>
    public int ConsentExpiryMs { get; init; } = 30000;
}
