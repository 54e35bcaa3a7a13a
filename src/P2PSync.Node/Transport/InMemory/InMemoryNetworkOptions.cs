namespace P2PSync.Node.Transport.InMemory;

/// <summary>
/// The faults an <see cref="InMemoryNetwork"/> injects. Each one is something a real reliable,
/// ordered, authenticated channel (TCP + Noise) can do to a sync session; it never corrupts,
/// reorders or duplicates bytes inside one connection, because TCP and Noise make that
/// impossible (Noise would reject the frame and the connection would die: a drop).
/// </summary>
internal sealed record InMemoryNetworkOptions
{
    /// <summary>Shortest one-way delay of a message.</summary>
    public TimeSpan MinLatency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest one-way delay; each message draws uniformly between the two, but never overtakes an earlier one on the same connection.</summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Drop: per message sent, the chance that the connection breaks at that moment, from a
    /// random end. That end sees the connection closed at once and loses whatever was still
    /// travelling towards it; the message itself is lost. Senders learn of it only by the
    /// close, as with TCP.
    /// </summary>
    public double DropRate { get; init; }

    /// <summary>
    /// Duplicate: per drop, the chance that the messages the breaking end had already sent are
    /// still delivered to the other end, late (a FIN after buffered data, read after the
    /// dialler already reconnected and re-synced). The receiver then gets them again on the
    /// new connection: duplicate deliveries across connections.
    /// </summary>
    public double DuplicateRate { get; init; }

    /// <summary>
    /// Reorder: the extra delay (uniform from zero to this) added to such a late tail, so that
    /// it lands after messages of the newer connection.
    /// </summary>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A perfect network with the default latency.</summary>
    public static InMemoryNetworkOptions Reliable { get; } = new();
}
