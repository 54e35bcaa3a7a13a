using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Positions;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// Properties of the update, snapshot and position decoders under arbitrary and damaged input:
/// they either succeed or throw <see cref="UpdateFormatException"/>, and a rejected update leaves
/// the document exactly as it was. FsCheck runs with a fixed seed so failures reproduce.
/// </summary>
public sealed class DecoderPropertyTests
{
    private const int CorpusSeed = 4242;

    private readonly UpdateCorpus _corpus = UpdateCorpus.Build(CorpusSeed);

    private static Config Configuration(ulong seed) =>
        Config.QuickThrowOnFailure
            .WithMaxTest(SeedCount.Get())
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));

    [Fact]
    public void ArbitraryBytesEitherApplyOrLeaveTheDocUnchanged()
    {
        var corpus = _corpus;
        Prop.ForAll(
                ArbMap.Default.ArbFor<byte[]>(),
                ArbMap.Default.ArbFor<bool>(),
                Arb.From(Gen.Choose(0, corpus.V1.Count)),
                (bytes, v2, prefix) => ApplyIsAtomic(corpus.NewTarget(prefix, gc: prefix % 2 == 0), bytes, v2))
            .Check(Configuration(1));
    }

    [Fact]
    public void MutatedV1UpdatesEitherApplyOrLeaveTheDocUnchanged() => CheckMutatedUpdatesApplyAtomically(v2: false, seed: 2);

    [Fact]
    public void MutatedV2UpdatesEitherApplyOrLeaveTheDocUnchanged() => CheckMutatedUpdatesApplyAtomically(v2: true, seed: 3);

    /// <summary>
    /// Damaged updates of one format applied to a doc holding a prefix of the history (the prefix
    /// is always built from v1, so both formats meet the same targets).
    /// </summary>
    private void CheckMutatedUpdatesApplyAtomically(bool v2, ulong seed)
    {
        var corpus = _corpus;
        var updates = v2 ? corpus.V2 : corpus.V1;
        Prop.ForAll(
                Arb.From(Gen.Choose(0, int.MaxValue)),
                Arb.From(Gen.Choose(0, corpus.V1.Count)),
                (mutationSeed, prefix) =>
                {
                    var bytes = UpdateMutator.Mutate(updates, new Random(mutationSeed));
                    return ApplyIsAtomic(corpus.NewTarget(prefix, gc: mutationSeed % 2 == 0), bytes, v2);
                })
            .Check(Configuration(seed));
    }

    [Fact]
    public void ArbitraryAndMutatedSnapshotsDecodeOrThrowFormatException()
    {
        var doc = _corpus.NewTarget(int.MaxValue, gc: false);
        byte[][] encodings = [Y.EncodeSnapshot(Y.Snapshot(doc)), Y.EncodeSnapshotV2(Y.Snapshot(doc))];
        Prop.ForAll(
                ArbMap.Default.ArbFor<byte[]>(),
                Arb.From(Gen.Choose(0, int.MaxValue)),
                (bytes, mutationSeed) =>
                    RoundTripsOrIsRejected(() => Y.DecodeSnapshot(bytes)) &&
                    RoundTripsOrIsRejected(() => Y.DecodeSnapshotV2(bytes)) &&
                    RoundTripsOrIsRejected(() => Y.DecodeSnapshot(UpdateMutator.Mutate(encodings, new Random(mutationSeed)))) &&
                    RoundTripsOrIsRejected(() => Y.DecodeSnapshotV2(UpdateMutator.Mutate(encodings, new Random(mutationSeed)))))
            .Check(Configuration(4));
    }

    [Fact]
    public void SnapshotContainsUpdateAnswersOrThrowsFormatExceptionForDamagedUpdates()
    {
        var corpus = _corpus;
        var snapshot = Y.Snapshot(corpus.NewTarget(corpus.V1.Count / 2, gc: false));
        Prop.ForAll(
                Arb.From(Gen.Choose(0, int.MaxValue)),
                mutationSeed =>
                    DecodesOrRejects(() => Y.SnapshotContainsUpdate(snapshot, UpdateMutator.Mutate(corpus.V1, new Random(mutationSeed)))) &&
                    DecodesOrRejects(() => Y.SnapshotContainsUpdateV2(snapshot, UpdateMutator.Mutate(corpus.V2, new Random(mutationSeed)))))
            .Check(Configuration(6));
    }

    [Fact]
    public void ArbitraryBytesDecodeAsRelativePositionOrThrowFormatException()
    {
        Prop.ForAll(
                ArbMap.Default.ArbFor<byte[]>(),
                bytes =>
                {
                    if (DecodedOrNull(() => Y.DecodeRelativePosition(bytes)) is not { } rpos)
                    {
                        return true;
                    }
                    // Whatever decodes must encode again, and that encoding must survive another round trip unchanged.
                    var encoded = Y.EncodeRelativePosition(rpos);
                    return encoded.AsSpan().SequenceEqual(Y.EncodeRelativePosition(Y.DecodeRelativePosition(encoded)));
                })
            .Check(Configuration(5));
    }

    public static TheoryData<string, bool> HandPickedHostileUpdates => new()
    {
        // Deletions of a client the doc does not know, listed out of order: they are kept as pending.
        { "0001630205010001", false },
        { "0001630205010001", true },
        // The same client twice, overlapping.
        { "000263010301630102020000", false },
    };

    [Theory]
    [MemberData(nameof(HandPickedHostileUpdates))]
    public void HandPickedHostileUpdatesApplyOrLeaveTheDocUnchanged(string hex, bool withHistory)
    {
        var doc = _corpus.NewTarget(withHistory ? int.MaxValue : 0, gc: true);

        Assert.True(ApplyIsAtomic(doc, Convert.FromHexString(hex), v2: false));
    }

    /// <summary>
    /// Applies <paramref name="bytes"/>; true if it applied and left a consistent store, or if it
    /// was rejected with <see cref="UpdateFormatException"/> without changing the doc. Any other
    /// exception escapes and fails the property.
    /// </summary>
    private static bool ApplyIsAtomic(Doc doc, byte[] bytes, bool v2)
    {
        var before = Y.EncodeStateAsUpdateV2(doc);
        try
        {
            if (v2)
            {
                Y.ApplyUpdateV2(doc, bytes);
            }
            else
            {
                Y.ApplyUpdate(doc, bytes);
            }
        }
        catch (UpdateFormatException)
        {
            return before.AsSpan().SequenceEqual(Y.EncodeStateAsUpdateV2(doc));
        }
        StructStore.IntegrityCheck(doc.Store);
        // The doc must still encode and its content must still be readable.
        Y.EncodeStateAsUpdate(doc);
        DocContent.Describe(doc);
        return true;
    }

    private static bool DecodesOrRejects<T>(Func<T> decode)
    {
        DecodedOrNull(decode);
        return true;
    }

    /// <summary>
    /// What <paramref name="decode"/> returns, or default (null) if it rejected its input with
    /// <see cref="UpdateFormatException"/>; any other exception escapes and fails the property.
    /// </summary>
    private static T? DecodedOrNull<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (UpdateFormatException)
        {
            return default;
        }
    }

    /// <summary>
    /// A snapshot that decodes must encode again, in both formats, to one that decodes equal;
    /// only the first decode may reject (our own encoding must always be readable).
    /// </summary>
    private static bool RoundTripsOrIsRejected(Func<Snapshot> decode) =>
        DecodedOrNull(decode) is not { } snapshot ||
        (Y.EqualSnapshots(snapshot, Y.DecodeSnapshot(Y.EncodeSnapshot(snapshot))) &&
         Y.EqualSnapshots(snapshot, Y.DecodeSnapshotV2(Y.EncodeSnapshotV2(snapshot))));
}
