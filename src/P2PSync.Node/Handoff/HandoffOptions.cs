namespace P2PSync.Node.Handoff;

/// <summary>Tunables of the <see cref="HandoffEngine"/>.</summary>
internal sealed record HandoffOptions
{
    /// <summary>
    /// How long an offer waits for an answer, and how long a request or a transfer may go without
    /// hearing from the peer before it fails (so nothing hangs forever on a silent peer).
    /// </summary>
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest HandoffChunk payload. Small enough to interleave with sync traffic.</summary>
    public int ChunkBytes { get; init; } = 64 * 1024;

    /// <summary>Largest total of update bytes one handoff may carry (either direction).</summary>
    public long MaxTransferBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Finished handoffs kept for <see cref="HandoffEngine.Handoffs"/>; older ones are forgotten.</summary>
    public int FinishedHistory { get; init; } = 100;

    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (OfferTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OfferTimeout), OfferTimeout, "must be positive");
        }

        // The wire validator caps a chunk's data at 1 MiB.
        if (ChunkBytes is < 1 or > 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkBytes), ChunkBytes, "must be 1 byte to 1 MiB");
        }

        if (MaxTransferBytes is < 1 or > 256L * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransferBytes), MaxTransferBytes, "must be 1 byte to 256 MiB");
        }

        if (FinishedHistory < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FinishedHistory), FinishedHistory, "must not be negative");
        }
    }
}
