using System.Diagnostics;
using P2PSync.Simulation.Tests.Support;
using Xunit.Abstractions;

namespace P2PSync.Simulation.Tests;

/// <summary>
/// Seeded multi-node runs over the in-memory network: random edits, new documents and renames
/// under connection drops, late duplicate tails and partitions; after healing every replica
/// must hold the same documents, names, state vectors and content. Seeds: P2PSYNC_SIM_SEEDS
/// (default 100). A failure names its seed; rerun one seed with P2PSYNC_SIM_SEED=n.
/// </summary>
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    [Fact]
    public void All_replicas_converge_after_faults_heal()
    {
        var seeds = SeedList();
        var stopwatch = Stopwatch.StartNew();
        long breaks = 0, late = 0, lost = 0, edits = 0;
        foreach (var seed in seeds)
        {
            var nodeCount = 2 + (seed % 9);
            var line = seed % 3 == 0;
            var run = new SimulationRun(seed, nodeCount, line);
            try
            {
                run.RunChaos(ticks: 600);
                var settled = run.Settle();
                var differences = run.Differences();
                Assert.True(settled, $"seed {seed} ({nodeCount} nodes{(line ? ", line" : "")}): the network did not settle");
                Assert.True(differences.Count == 0, $"seed {seed} ({nodeCount} nodes{(line ? ", line" : "")}) diverged:\n{string.Join("\n", differences.Take(10))}");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"seed {seed} ({nodeCount} nodes{(line ? ", line" : "")}) crashed: {ex.Message}", ex);
            }

            breaks += run.Stats.Breaks;
            late += run.Stats.LateDeliveries;
            lost += run.Stats.MessagesLost;
            edits += run.Edits;
        }

        output.WriteLine($"{seeds.Count} seeds in {stopwatch.Elapsed.TotalSeconds:F1} s: {edits} edits, {breaks} connection breaks, {lost} messages lost, {late} late (duplicate) deliveries");

        // The faults must really have happened, or the test proves nothing.
        if (seeds.Count >= 20)
        {
            Assert.True(breaks > seeds.Count, $"only {breaks} breaks");
            Assert.True(late > 0, "no late deliveries");
            Assert.True(lost > 0, "no lost messages");
        }
    }

    private static List<int> SeedList()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("P2PSYNC_SIM_SEED"), out var single))
        {
            return [single];
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("P2PSYNC_SIM_SEEDS"), out var n) && n > 0 ? n : 100;
        return Enumerable.Range(1, count).ToList();
    }
}
