using P2PSync.Crdt.Core;
using Xunit.Abstractions;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// Seeded fuzzing of convergence: 3-5 replicas edit concurrently over a lossy, reordering,
/// duplicating network that also merges queued updates; after the final exchange every replica
/// must hold exactly the same state. Set P2PSYNC_SEEDS to run more seeds.
/// </summary>
public sealed class ConvergenceTests
{
    private readonly ITestOutputHelper _output;

    public ConvergenceTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void ReplicasConvergeOverALossyNetworkWithGarbageCollection() => RunSeeds(gc: true, firstSeed: 0);

    [Fact]
    public void ReplicasConvergeOverALossyNetworkWithoutGarbageCollection() => RunSeeds(gc: false, firstSeed: 1_000_000);

    private void RunSeeds(bool gc, int firstSeed)
    {
        var seeds = SeedCount.Get();
        var failures = new List<string>();
        long delivered = 0;
        long merged = 0;
        for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            try
            {
                var network = RunSeed(seed, gc);
                delivered += network.MessagesDelivered;
                merged += network.MessagesMerged;
            }
            catch (Exception e)
            {
                failures.Add($"seed {seed} (gc {gc}): {e.GetType().Name}: {e.Message}");
            }
        }
        _output.WriteLine($"{seeds} seeds, {delivered} messages delivered, {merged} merged into others, {failures.Count} failed");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {seeds} seeds failed:\n" + string.Join("\n", failures.Take(10)));
    }

    /// <summary>Runs one seed and throws (with the reason) if the replicas do not converge.</summary>
    private static LossyNetwork RunSeed(int seed, bool gc)
    {
        var random = new Random(seed);
        var network = new LossyNetwork(random, replicaCount: 3 + random.Next(3), gc);
        var replicas = network.Replicas;
        var transactions = 20 + random.Next(60);
        for (var i = 0; i < transactions; i++)
        {
            RandomEditor.EditInTransaction(replicas[random.Next(replicas.Count)].Doc, random);
            var steps = random.Next(6);
            for (var s = 0; s < steps; s++)
            {
                network.Step();
            }
        }
        network.DrainReliably();
        network.FullExchange();

        var reference = replicas[0];
        var referenceContent = DocContent.Describe(reference.Doc);
        var referenceSv = Y.EncodeStateVector(reference.Doc);
        var referenceUpdate = EncodedState(reference.Doc, gc);
        foreach (var replica in replicas)
        {
            var store = replica.Doc.Store;
            Check(store.PendingStructs is null && store.PendingDs is null, $"replica {replica.Index} still has pending updates");
            Check(referenceSv.AsSpan().SequenceEqual(Y.EncodeStateVector(replica.Doc)),
                $"state vector of replica {replica.Index} differs from replica 0");
            var content = DocContent.Describe(replica.Doc);
            Check(content == referenceContent,
                $"content of replica {replica.Index} differs from replica 0:\n{content}---\n{referenceContent}");
            Check(referenceUpdate.AsSpan().SequenceEqual(EncodedState(replica.Doc, gc)),
                $"encoded state of replica {replica.Index} differs from replica 0");

            // All updates a replica emitted, merged into one, rebuild the same doc.
            var rebuilt = new Doc(new DocOptions { ClientId = 1UL << 40, Gc = gc });
            if (replica.UsesV2)
            {
                Y.ApplyUpdateV2(rebuilt, Y.MergeUpdatesV2(replica.Log));
            }
            else
            {
                Y.ApplyUpdate(rebuilt, Y.MergeUpdates(replica.Log));
            }
            Check(referenceSv.AsSpan().SequenceEqual(Y.EncodeStateVector(rebuilt)),
                $"merged log of replica {replica.Index} has a different state vector");
            Check(DocContent.Describe(rebuilt) == referenceContent,
                $"merged log of replica {replica.Index} rebuilds different content:\n{DocContent.Describe(rebuilt)}");
        }
        return network;
    }

    /// <summary>
    /// The doc's full state as one v1 update; with garbage collection, in the form that does not
    /// depend on how adjacent GC structs were delivered (see <see cref="CanonicalState"/>).
    /// </summary>
    private static byte[] EncodedState(Doc doc, bool gc) =>
        gc ? CanonicalState.Encode(doc) : Y.EncodeStateAsUpdate(doc);

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConvergenceException(message);
        }
    }
}
