using System.Text;

namespace P2PSync.Crdt.Tests.Updates;

/// <summary>
/// Seeded corruptions of real yjs updates through every update utility: the only exception
/// allowed is UpdateFormatException, and it must come from a deliberate check rather than
/// from the last-resort guard that wraps unexpected exceptions (which would hide a bug).
/// </summary>
public sealed class UpdateUtilsFuzzTests
{
    private const int Iterations = 1500;

    private static readonly (string Name, byte[] Bytes)[] Updates = UpdatesGoldenData.Entries
        .Where(e => e.Key.StartsWith("in:", StringComparison.Ordinal) && !e.Key.StartsWith("in:sv.", StringComparison.Ordinal))
        .Select(e => (e.Key, Convert.FromHexString(e.Value)))
        .ToArray();

    private static bool IsV2(string name) => name.Contains(".v2", StringComparison.Ordinal);

    private static byte[] Mutate(Random random, byte[] original)
    {
        if (original.Length == 0)
        {
            return [(byte)random.Next(256)];
        }
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 2:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                var at = random.Next(bytes.Length + 1);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
        }
    }

    private static void Check(Action action, string what)
    {
        try
        {
            action();
        }
        catch (UpdateFormatException e) when (e.InnerException is null or DecoderFallbackException)
        {
        }
        catch (UpdateFormatException e)
        {
            Assert.Fail($"{what}: unexpected {e.InnerException!.GetType().Name} wrapped by the guard: {e.InnerException}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CorruptedUpdates_ThrowOnlyDeliberateFormatErrors(int seed)
    {
        var random = new Random(seed);
        var stateVector = Convert.FromHexString(UpdatesGoldenData.Entries["in:sv.partial"]);
        for (var i = 0; i < Iterations; i++)
        {
            var (name, original) = Updates[random.Next(Updates.Length)];
            var (otherName, other) = Updates[random.Next(Updates.Length)];
            var input = Mutate(random, original);
            // Mostly the matching format; sometimes the wrong one on purpose.
            var v2 = IsV2(name) ^ (random.Next(8) == 0);
            var what = $"seed {seed} #{i} {name}";
            if (v2)
            {
                Check(() => Y.MergeUpdatesV2([input, IsV2(otherName) ? other : Y.ConvertUpdateFormatV1ToV2(other)]), what);
                Check(() => Y.DiffUpdateV2(input, stateVector), what);
                Check(() => Y.EncodeStateVectorFromUpdateV2(input), what);
                Check(() => Y.ParseUpdateMetaV2(input), what);
                Check(() => Y.ConvertUpdateFormatV2ToV1(input), what);
            }
            else
            {
                Check(() => Y.MergeUpdates([input, IsV2(otherName) ? Y.ConvertUpdateFormatV2ToV1(other) : other]), what);
                Check(() => Y.DiffUpdate(input, stateVector), what);
                Check(() => Y.EncodeStateVectorFromUpdate(input), what);
                Check(() => Y.ParseUpdateMeta(input), what);
                Check(() => Y.ConvertUpdateFormatV1ToV2(input), what);
            }
        }
    }

    [Fact]
    public void CorruptedStateVectors_ThrowOnlyUpdateFormatException()
    {
        var random = new Random(11);
        var update = Convert.FromHexString(UpdatesGoldenData.Entries["in:a.full.v1"]);
        var stateVector = Convert.FromHexString(UpdatesGoldenData.Entries["in:sv.b"]);
        for (var i = 0; i < Iterations; i++)
        {
            var sv = Mutate(random, stateVector);
            Check(() => Y.DiffUpdate(update, sv), $"#{i}");
        }
    }

    [Fact]
    public void RandomBytes_ThrowOnlyUpdateFormatException()
    {
        var random = new Random(12);
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 48)];
            random.NextBytes(input);
            Check(() => Y.ConvertUpdateFormatV1ToV2(input), $"#{i}");
            Check(() => Y.ConvertUpdateFormatV2ToV1(input), $"#{i}");
            Check(() => Y.MergeUpdates([input, input]), $"#{i}");
            Check(() => Y.MergeUpdatesV2([input, input]), $"#{i}");
        }
    }
}
