using P2PSync.Crdt.Tests.Support;

namespace P2PSync.Crdt.Tests.Updates;

/// <summary>
/// Seeded corruptions of real yjs updates through every update utility: the only exception
/// allowed is UpdateFormatException, and it must come from a deliberate check rather than
/// from the last-resort guard that wraps unexpected exceptions (which would hide a bug).
/// Each test must also see some of its corrupted inputs rejected.
/// </summary>
public sealed class UpdateUtilsFuzzTests
{
    private const int Iterations = 1500;

    private static readonly (string Name, byte[] Bytes)[] Updates = UpdatesGoldenData.Entries
        .Where(e => e.Key.StartsWith("in:", StringComparison.Ordinal) && !e.Key.StartsWith("in:sv.", StringComparison.Ordinal))
        .Select(e => (e.Key, UpdatesGoldenData.Bytes(e.Key)))
        .ToArray();

    private static bool IsV2(string name) => name.Contains(".v2", StringComparison.Ordinal);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CorruptedUpdates_ThrowOnlyDeliberateFormatErrors(int seed)
    {
        var random = new Random(seed);
        var stateVector = UpdatesGoldenData.Bytes("in:sv.partial");
        var tally = new FormatErrorTally();
        for (var i = 0; i < Iterations; i++)
        {
            var (name, original) = Updates[random.Next(Updates.Length)];
            var (otherName, other) = Updates[random.Next(Updates.Length)];
            var input = ByteMutation.Mutate(random, original);
            // Mostly the matching format; sometimes the wrong one on purpose.
            var v2 = IsV2(name) ^ (random.Next(8) == 0);
            var what = $"seed {seed} #{i} {name}";
            if (v2)
            {
                tally.Run(() => Y.MergeUpdatesV2([input, IsV2(otherName) ? other : Y.ConvertUpdateFormatV1ToV2(other)]), what);
                tally.Run(() => Y.DiffUpdateV2(input, stateVector), what);
                tally.Run(() => Y.EncodeStateVectorFromUpdateV2(input), what);
                tally.Run(() => Y.ParseUpdateMetaV2(input), what);
                tally.Run(() => Y.ConvertUpdateFormatV2ToV1(input), what);
            }
            else
            {
                tally.Run(() => Y.MergeUpdates([input, IsV2(otherName) ? Y.ConvertUpdateFormatV2ToV1(other) : other]), what);
                tally.Run(() => Y.DiffUpdate(input, stateVector), what);
                tally.Run(() => Y.EncodeStateVectorFromUpdate(input), what);
                tally.Run(() => Y.ParseUpdateMeta(input), what);
                tally.Run(() => Y.ConvertUpdateFormatV1ToV2(input), what);
            }
        }
        tally.AssertSomeRejected();
    }

    [Fact]
    public void CorruptedStateVectors_ThrowOnlyUpdateFormatException()
    {
        var random = new Random(11);
        var update = UpdatesGoldenData.Bytes("in:a.full.v1");
        var stateVector = UpdatesGoldenData.Bytes("in:sv.b");
        var tally = new FormatErrorTally();
        for (var i = 0; i < Iterations; i++)
        {
            var sv = ByteMutation.Mutate(random, stateVector);
            tally.Run(() => Y.DiffUpdate(update, sv), $"#{i}");
        }
        tally.AssertSomeRejected();
    }

    [Fact]
    public void RandomBytes_ThrowOnlyUpdateFormatException()
    {
        var random = new Random(12);
        FormatErrorTally toV2 = new(), toV1 = new(), merge = new(), mergeV2 = new();
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 48)];
            random.NextBytes(input);
            toV2.Run(() => Y.ConvertUpdateFormatV1ToV2(input), $"#{i}");
            toV1.Run(() => Y.ConvertUpdateFormatV2ToV1(input), $"#{i}");
            merge.Run(() => Y.MergeUpdates([input, input]), $"#{i}");
            mergeV2.Run(() => Y.MergeUpdatesV2([input, input]), $"#{i}");
        }
        foreach (var tally in new[] { toV2, toV1, merge, mergeV2 })
        {
            tally.AssertSomeRejected();
        }
    }
}
