using System.Globalization;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// What an impaired <see cref="VethLan"/> does to every IP packet, in each direction on its own,
/// with tc netem's model: a lost packet is gone; a duplicated one is delivered twice; every packet
/// waits <see cref="DelayMs"/> ± <see cref="JitterMs"/> (uniform, so packets overtake each other)
/// except the <see cref="ReorderPercent"/> picked to go at once, ahead of those waiting. Draws come
/// from <see cref="Seed"/> (one Random per direction), so a run's decisions can be replayed
/// (timing on a loaded machine still varies). Netem's correlation values are not modelled: each
/// packet's draws are independent.
/// </summary>
internal sealed record WireImpairment
{
    public double LossPercent { get; init; }

    public int DelayMs { get; init; }

    public int JitterMs { get; init; }

    public double ReorderPercent { get; init; }

    public double DuplicatePercent { get; init; }

    public required int Seed { get; init; }

    /// <summary>The brief's netem line, `loss 5% delay 10ms 5ms reorder 25%`, plus a little duplication.</summary>
    public static WireImpairment LossAndReorder(int seed) => new()
    {
        LossPercent = 5,
        DelayMs = 10,
        JitterMs = 5,
        ReorderPercent = 25,
        DuplicatePercent = 1,
        Seed = seed,
    };

    /// <summary>The same settings written as tc netem arguments, for logs.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"netem loss {LossPercent}% delay {DelayMs}ms {JitterMs}ms reorder {ReorderPercent}% duplicate {DuplicatePercent}% (seed {Seed})");
}
