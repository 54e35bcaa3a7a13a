namespace P2PSync.Node.Transport.InMemory;

/// <summary>Counters of what an <see cref="InMemoryNetwork"/> did, so tests can check that faults really happened.</summary>
internal sealed record InMemoryNetworkStats(
    long Connections,
    long MessagesSent,
    long MessagesDelivered,
    long MessagesLost,
    long LateDeliveries,
    long Breaks);
