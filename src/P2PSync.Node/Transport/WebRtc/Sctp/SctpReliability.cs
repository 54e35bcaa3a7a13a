namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// How hard to try for one message (RFC 3758 partial reliability, as data channels use it):
/// fully reliable, at most <see cref="Value"/> retransmissions, or given up <see cref="Value"/> ms after it was queued.
/// </summary>
internal readonly record struct SctpReliability(SctpReliabilityKind Kind, int Value)
{
    public static SctpReliability Reliable => new(SctpReliabilityKind.Reliable, 0);

    public static SctpReliability MaxRetransmits(int count) => new(SctpReliabilityKind.MaxRetransmits, count);

    public static SctpReliability MaxLifetime(int milliseconds) => new(SctpReliabilityKind.MaxLifetimeMs, milliseconds);
}
