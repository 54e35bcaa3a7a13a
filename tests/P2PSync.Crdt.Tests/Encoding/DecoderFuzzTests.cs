using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Tests.Support;

namespace P2PSync.Crdt.Tests.Encoding;

/// <summary>
/// Seeded truncations and bit flips of valid encodings: only a deliberate UpdateFormatException
/// may escape, and each decoder must reject at least some of the damaged inputs.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Iterations = 3000;

    private static void ReadAllLikeSequence(IUpdateDecoder d)
    {
        d.ReadClient();
        d.ReadInfo();
        d.ReadLeftId();
        d.ReadRightId();
        d.ReadParentInfo();
        d.ReadString();
        d.ReadParentInfo();
        d.ReadTypeRef();
        d.ReadLen();
        d.ReadLen();
        d.ReadLen();
        d.ReadAny();
        d.ReadBuf();
        d.ReadJson();
        d.ReadKey();
        d.ReadKey();
        d.ReadKey();
        d.ReadString();
        d.ReadClient();
        d.ReadInfo();
        d.ReadInfo();
        d.ReadLeftId();
        d.ReadLeftId();
        d.ResetDsCurVal();
        d.ReadDsClock();
        d.ReadDsLen();
        d.ReadDsClock();
        d.ReadDsLen();
        d.ResetDsCurVal();
        d.ReadDsClock();
        d.ReadDsLen();
    }

    [Theory]
    [InlineData("updateencoder:v1", 1)]
    [InlineData("updateencoder:v2", 2)]
    public void MutatedUpdates_ThrowOnlyUpdateFormatException(string goldenName, int version)
    {
        var golden = Lib0GoldenData.Bytes(goldenName);
        var random = new Random(version * 1000 + 17);
        var tally = new FormatErrorTally();
        for (var i = 0; i < Iterations; i++)
        {
            var input = ByteMutation.Mutate(random, golden);
            tally.Run(() =>
            {
                IUpdateDecoder decoder = version == 1 ? new UpdateDecoderV1(input) : new UpdateDecoderV2(input);
                ReadAllLikeSequence(decoder);
            }, $"{goldenName} #{i}");
        }
        tally.AssertSomeRejected();
    }

    [Fact]
    public void MutatedAnyValues_ThrowOnlyUpdateFormatException()
    {
        var samples = Lib0GoldenData.Hex.Keys.Where(k => k.StartsWith("any:", StringComparison.Ordinal))
            .Select(Lib0GoldenData.Bytes).Where(b => b.Length > 0).ToArray();
        var random = new Random(99);
        var tally = new FormatErrorTally();
        for (var i = 0; i < Iterations; i++)
        {
            var input = ByteMutation.Mutate(random, samples[random.Next(samples.Length)]);
            tally.Run(() => new Lib0Reader(input).ReadAny(), $"any #{i}");
        }
        tally.AssertSomeRejected();
    }

    [Fact]
    public void RandomBytes_ThrowOnlyUpdateFormatException()
    {
        var random = new Random(5);
        FormatErrorTally v1 = new(), v2 = new(), any = new(), strings = new(), clocks = new();
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 64)];
            random.NextBytes(input);
            var what = $"#{i} {Convert.ToHexString(input)}";
            v1.Run(() => ReadAllLikeSequence(new UpdateDecoderV1(input)), what);
            v2.Run(() => ReadAllLikeSequence(new UpdateDecoderV2(input)), what);
            any.Run(() => new Lib0Reader(input).ReadAny(), what);
            strings.Run(() =>
            {
                var decoder = new StringDecoder(input);
                for (var j = 0; j < 10; j++)
                {
                    decoder.Read();
                }
            }, what);
            clocks.Run(() =>
            {
                var decoder = new IntDiffOptRleDecoder(input);
                for (var j = 0; j < 10; j++)
                {
                    decoder.Read();
                }
            }, what);
        }
        foreach (var tally in new[] { v1, v2, any, strings, clocks })
        {
            tally.AssertSomeRejected();
        }
    }

    [Fact]
    public void RandomJsonMutations_ThrowOnlyUpdateFormatException()
    {
        const string json = "{\"a\":[1,2.5,-3e4,\"x\\u00e9\\n\"],\"b\":{\"c\":null,\"d\":true,\"e\":false}}";
        var random = new Random(3);
        var tally = new FormatErrorTally();
        for (var i = 0; i < Iterations; i++)
        {
            var chars = json.ToCharArray();
            const string replacements = "{}[]\",:0-e.\\ ntf";
            chars[random.Next(chars.Length)] = replacements[random.Next(replacements.Length)];
            var text = new string(chars, 0, random.Next(chars.Length + 1));
            tally.Run(() => Lib0Any.ParseJson(text), $"#{i} {text}");
        }
        tally.AssertSomeRejected();
    }
}
