using System.Globalization;
using System.Text;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;

namespace P2PSync.Interop.Tests.Mutation;

/// <summary>
/// Corrupted real updates (<see cref="UpdateMutator"/>) applied to documents that already hold
/// content: applying either succeeds or throws <see cref="UpdateFormatException"/> and nothing
/// else, never hangs (per-case timeout) or allocates without bound, and when it throws the
/// document encodes exactly as before. The update functions that work without a document
/// (merge, diff, convert, state vector from update) obey the same rule.
/// Case k uses <c>new Random(MasterSeed + k)</c>, so a reported case reproduces on its own.
/// </summary>
public sealed class MutatedUpdateTests
{
    private const int MasterSeed = 20_251_122;
    private const int ApplyCases = 4000;
    private const int FunctionCases = 2000;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(20);
    private const long AllocationLimit = 512L * 1024 * 1024;

    private static readonly Lazy<UpdateCorpus> Corpus = new(() => UpdateCorpus.Build(scenarioCount: 12));

    [Fact]
    public void ApplyingCorruptUpdatesFailsCleanly()
    {
        var corpus = Corpus.Value;
        var failures = new List<string>();
        int accepted = 0, rejected = 0;
        for (var k = 0; k < ApplyCases && failures.Count < 10; k++)
        {
            var rng = new Random(MasterSeed + k);
            var v2 = rng.Next(2) == 0;
            var pool = v2 ? corpus.V2 : corpus.V1;
            var (name, source) = pool[rng.Next(pool.Count)];
            var other = pool[rng.Next(pool.Count)].Bytes;
            var (mutated, how) = UpdateMutator.Mutate(rng, source, other);
            var (baseName, baseUpdate) = corpus.Bases[rng.Next(corpus.Bases.Count)];

            var doc = new Doc(new DocOptions { ClientId = 4242, Gc = rng.Next(2) == 0 });
            Y.ApplyUpdate(doc, baseUpdate);
            var before = EncodedState.Of(doc);

            var outcome = Guarded(() => ApplyOrReject(doc, mutated, v2));

            var context = $"case {k} (new Random({MasterSeed + k})): {(v2 ? "v2" : "v1")} update '{name}' mutated by {how}, applied to doc from '{baseName}'";
            switch (outcome.Result)
            {
                case "accepted":
                    accepted++;
                    break;
                case "rejected":
                    rejected++;
                    if (!EncodedState.Of(doc).SameAs(before))
                    {
                        failures.Add($"{context}: threw UpdateFormatException but changed the document\n    update: {Hex(mutated)}");
                    }

                    break;
                default:
                    failures.Add($"{context}: {outcome.Failure}\n    update: {Hex(mutated)}");
                    break;
            }

            if (outcome.Hung)
            {
                break; // the stuck thread keeps running; more cases would only be slower and noisier
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases (accepted {accepted}, rejected {rejected} before stopping):\n{string.Join("\n", failures)}");
        Assert.True(rejected > ApplyCases / 4, $"only {rejected} of {ApplyCases} corrupt updates were rejected; the mutator is not reaching the decoders");
    }

    [Fact]
    public void UpdateFunctionsRejectCorruptUpdatesCleanly()
    {
        var corpus = Corpus.Value;
        var failures = new List<string>();
        for (var k = 0; k < FunctionCases && failures.Count < 10; k++)
        {
            var rng = new Random(MasterSeed + 1_000_000 + k);
            var v2 = rng.Next(2) == 0;
            var pool = v2 ? corpus.V2 : corpus.V1;
            var (name, source) = pool[rng.Next(pool.Count)];
            var intact = pool[rng.Next(pool.Count)].Bytes;
            var (mutated, how) = UpdateMutator.Mutate(rng, source, intact);
            var sv = Y.EncodeStateVector(new Dictionary<ulong, int> { [4242] = 3 });

            var fns = new (string Name, Action Run)[]
            {
                ("MergeUpdates", () => _ = v2 ? Y.MergeUpdatesV2([mutated, intact]) : Y.MergeUpdates([mutated, intact])),
                ("DiffUpdate", () => _ = v2 ? Y.DiffUpdateV2(mutated, sv) : Y.DiffUpdate(mutated, sv)),
                ("EncodeStateVectorFromUpdate", () => _ = v2 ? Y.EncodeStateVectorFromUpdateV2(mutated) : Y.EncodeStateVectorFromUpdate(mutated)),
                ("Convert", () => _ = v2 ? Y.ConvertUpdateFormatV2ToV1(mutated) : Y.ConvertUpdateFormatV1ToV2(mutated)),
                ("DecodeStateVector", () => _ = Y.DecodeStateVector(mutated)),
            };
            foreach (var (fn, run) in fns)
            {
                var outcome = Guarded(() =>
                {
                    try
                    {
                        run();
                        return "ok";
                    }
                    catch (UpdateFormatException)
                    {
                        return "rejected";
                    }
                });
                if (outcome.Failure is not null)
                {
                    failures.Add($"case {k} (new Random({MasterSeed + 1_000_000 + k})): {fn} on {(v2 ? "v2" : "v1")} '{name}' mutated by {how}: {outcome.Failure}\n    update: {Hex(mutated)}");
                }

                if (outcome.Hung)
                {
                    Assert.Fail(string.Join("\n", failures));
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases:\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// Hand-made v1 updates whose delete sets yjs never writes but a peer may send: an empty range,
    /// ranges out of order, overlapping ranges. Found by the mutation cases above; kept as
    /// named regressions. Each must be applied or rejected cleanly, on an empty and a non-empty doc.
    /// </summary>
    [Theory]
    [InlineData("000151016a00", "a range of length 0 for an unknown client")]
    [InlineData("0001510205030102", "two ranges out of order")]
    [InlineData("0001510205030602", "two overlapping ranges")]
    [InlineData("00025101050002010100", "zero-length ranges for two clients")]
    public void UnusualDeleteSetsFailCleanly(string hex, string what)
    {
        foreach (var withContent in new[] { false, true })
        {
            var doc = new Doc(new DocOptions { ClientId = 81 });
            if (withContent)
            {
                doc.GetText("t").Insert(0, "0123456789");
            }

            var before = EncodedState.Of(doc);
            var outcome = Guarded(() => ApplyOrReject(doc, Convert.FromHexString(hex), v2: false));
            Assert.True(outcome.Failure is null, $"{what} ({(withContent ? "doc with content" : "empty doc")}): {outcome.Failure}");
            if (outcome.Result == "rejected")
            {
                var after = EncodedState.Of(doc);
                Assert.Equal(before.V1, after.V1);
                Assert.Equal(before.V2, after.V2);
            }
        }
    }

    private sealed record Outcome(string? Result, string? Failure, bool Hung);

    /// <summary>A document's full state in both formats: what must not change when an update is rejected.</summary>
    private sealed record EncodedState(byte[] V1, byte[] V2)
    {
        public static EncodedState Of(Doc doc) => new(Y.EncodeStateAsUpdate(doc), Y.EncodeStateAsUpdateV2(doc));

        public bool SameAs(EncodedState other) => V1.AsSpan().SequenceEqual(other.V1) && V2.AsSpan().SequenceEqual(other.V2);
    }

    /// <summary>
    /// Applies <paramref name="update"/>: "rejected" if it throws <see cref="UpdateFormatException"/>,
    /// otherwise "accepted" once the document is shown to still encode in both formats.
    /// </summary>
    private static string ApplyOrReject(Doc doc, byte[] update, bool v2)
    {
        try
        {
            if (v2)
            {
                Y.ApplyUpdateV2(doc, update);
            }
            else
            {
                Y.ApplyUpdate(doc, update);
            }
        }
        catch (UpdateFormatException)
        {
            return "rejected";
        }

        // An accepted update must leave a document that still encodes.
        Y.EncodeStateAsUpdate(doc);
        Y.EncodeStateAsUpdateV2(doc);
        return "accepted";
    }

    /// <summary>
    /// Runs <paramref name="action"/> on its own thread so a hang is detected by timeout and
    /// allocation is measured for that thread alone; any exception is a failure.
    /// </summary>
    private static Outcome Guarded(Func<string> action)
    {
        string? result = null;
        string? failure = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            var start = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = $"threw {e.GetType().Name} instead of UpdateFormatException: {e.Message}\n{e.StackTrace}";
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        })
        { IsBackground = true };
        thread.Start();
        if (!thread.Join(CaseTimeout))
        {
            return new Outcome(null, $"did not finish within {CaseTimeout.TotalSeconds} s (hang)", Hung: true);
        }

        if (failure is null && allocated > AllocationLimit)
        {
            failure = $"allocated {allocated / (1024 * 1024)} MiB";
        }

        return new Outcome(failure is null ? result : null, failure, Hung: false);
    }

    private static string Hex(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes.Take(300))
        {
            sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return bytes.Length > 300 ? sb + $"... ({bytes.Length} bytes)" : sb.ToString();
    }
}
