namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>How badly the in-memory LAN treats packets: each receiver's copy is lost, duplicated and delayed independently.</summary>
/// <param name="Loss">Chance that one receiver does not get a packet.</param>
/// <param name="Duplication">Chance that a receiver gets it twice.</param>
/// <param name="MaxJitter">Extra delay on top of the base latency, uniform in [0, MaxJitter].</param>
internal sealed record LanConditions(double Loss, double Duplication, TimeSpan MaxJitter)
{
    /// <summary>A perfect LAN: no loss, no duplicates, a fixed 0.2 ms latency.</summary>
    public static LanConditions Perfect { get; } = new(0, 0, TimeSpan.Zero);

    public static readonly TimeSpan BaseLatency = TimeSpan.FromTicks(2_000);
}
