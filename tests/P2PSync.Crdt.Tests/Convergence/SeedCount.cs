namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>How many seeds the randomized tests run: P2PSYNC_SEEDS, or a default that keeps a local run fast.</summary>
internal static class SeedCount
{
    public const string VariableName = "P2PSYNC_SEEDS";

    public static int Get(int defaultCount = 200)
    {
        var text = Environment.GetEnvironmentVariable(VariableName);
        return int.TryParse(text, out var count) && count > 0 ? count : defaultCount;
    }
}
