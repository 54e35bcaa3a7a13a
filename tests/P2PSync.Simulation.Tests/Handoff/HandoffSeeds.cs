namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>
/// Runs a scenario for several seeds and names the seed when one fails, so it can be replayed
/// (P2PSYNC_HANDOFF_SEED=n runs only that seed).
/// </summary>
internal static class HandoffSeeds
{
    public static void Run(int count, Action<int> scenario)
    {
        var only = Environment.GetEnvironmentVariable("P2PSYNC_HANDOFF_SEED");
        var seeds = int.TryParse(only, out var single) ? [single] : Enumerable.Range(1, count).ToArray();
        foreach (var seed in seeds)
        {
            try
            {
                scenario(seed);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"seed {seed} failed (replay with P2PSYNC_HANDOFF_SEED={seed}): {ex.Message}", ex);
            }
        }
    }
}
