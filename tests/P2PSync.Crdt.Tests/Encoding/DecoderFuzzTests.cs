using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Tests.Encoding;

/// <summary>Seeded truncations and bit flips of valid encodings: only UpdateFormatException may escape.</summary>
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

    private static byte[] Mutate(Random random, byte[] original)
    {
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
                // Insert a random byte somewhere, shifting the rest.
                var at = random.Next(bytes.Length + 1);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
        }
    }

    private static void AssertOnlyFormatErrors(Action action)
    {
        try
        {
            action();
        }
        catch (UpdateFormatException)
        {
        }
    }

    [Theory]
    [InlineData("updateencoder:v1", 1)]
    [InlineData("updateencoder:v2", 2)]
    public void MutatedUpdates_ThrowOnlyUpdateFormatException(string goldenName, int version)
    {
        var golden = Lib0GoldenData.Bytes(goldenName);
        var random = new Random(version * 1000 + 17);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, golden);
            AssertOnlyFormatErrors(() =>
            {
                IUpdateDecoder decoder = version == 1 ? new UpdateDecoderV1(input) : new UpdateDecoderV2(input);
                ReadAllLikeSequence(decoder);
            });
        }
    }

    [Fact]
    public void MutatedAnyValues_ThrowOnlyUpdateFormatException()
    {
        var samples = Lib0GoldenData.Hex.Keys.Where(k => k.StartsWith("any:", StringComparison.Ordinal))
            .Select(Lib0GoldenData.Bytes).Where(b => b.Length > 0).ToArray();
        var random = new Random(99);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, samples[random.Next(samples.Length)]);
            AssertOnlyFormatErrors(() => new Lib0Reader(input).ReadAny());
        }
    }

    [Fact]
    public void RandomBytes_ThrowOnlyUpdateFormatException()
    {
        var random = new Random(5);
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 64)];
            random.NextBytes(input);
            AssertOnlyFormatErrors(() => ReadAllLikeSequence(new UpdateDecoderV1(input)));
            AssertOnlyFormatErrors(() => ReadAllLikeSequence(new UpdateDecoderV2(input)));
            AssertOnlyFormatErrors(() => new Lib0Reader(input).ReadAny());
            AssertOnlyFormatErrors(() =>
            {
                var strings = new StringDecoder(input);
                for (var j = 0; j < 10; j++)
                {
                    strings.Read();
                }
            });
            AssertOnlyFormatErrors(() =>
            {
                var clocks = new IntDiffOptRleDecoder(input);
                for (var j = 0; j < 10; j++)
                {
                    clocks.Read();
                }
            });
        }
    }

    [Fact]
    public void RandomJsonMutations_ThrowOnlyUpdateFormatException()
    {
        const string json = "{\"a\":[1,2.5,-3e4,\"x\\u00e9\\n\"],\"b\":{\"c\":null,\"d\":true,\"e\":false}}";
        var random = new Random(3);
        for (var i = 0; i < Iterations; i++)
        {
            var chars = json.ToCharArray();
            const string replacements = "{}[]\",:0-e.\\ ntf";
            chars[random.Next(chars.Length)] = replacements[random.Next(replacements.Length)];
            var text = new string(chars, 0, random.Next(chars.Length + 1));
            AssertOnlyFormatErrors(() => Lib0Any.ParseJson(text));
        }
    }
}
