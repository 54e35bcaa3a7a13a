namespace P2PSync.Node.Tests.Transport.WebRtc.Support;

/// <summary>
/// What a seeded <see cref="InMemoryDatagramLink"/> does to datagrams, each as a probability per
/// datagram: lose it, deliver it twice, or hold it back until the next one in the same direction
/// has gone past (reordering). The seed makes a failing run repeatable; tests print it.
/// </summary>
internal sealed record LinkImpairment(int Seed, double Loss = 0, double Duplicate = 0, double Reorder = 0)
{
    /// <summary>A perfect link: every datagram once, in order.</summary>
    public static LinkImpairment None { get; } = new(0);
}
