using System.Text.Json.Nodes;
using P2PSync.Node.Transport.WebRtc.YWebRtc;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

public sealed class Lib0JsonAnyTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;

    [Theory]
    [InlineData("0", "7d00")]
    [InlineData("-1", "7d41")]
    [InlineData("63", "7d3f")]
    [InlineData("64", "7d8001")]
    [InlineData("2147483647", "7dbfffffff0f")]
    [InlineData("-2147483647", "7dffffffff0f")]
    [InlineData("2147483648", "7c4f000000")]
    [InlineData("0.1", "7b3fb999999999999a")]
    [InlineData("true", "78")]
    [InlineData("false", "79")]
    [InlineData("null", "7e")]
    [InlineData("\"\"", "7700")]
    [InlineData("[]", "7500")]
    [InlineData("{}", "7600")]
    public void ScalarsAndEmptiesAsLib0WritesThem(string json, string hex)
    {
        var value = JsonNode.Parse(json);
        Assert.Equal(hex, Convert.ToHexStringLower(Lib0JsonAny.Encode(value)));
        Assert.True(JsonNode.DeepEquals(value, Lib0JsonAny.Decode(Convert.FromHexString(hex))));
    }

    [Fact]
    public void UndefinedMembersAreDroppedAndUndefinedItemsBecomeNull()
    {
        // {a: undefined, b: 1} and [undefined]
        Assert.Equal("{\"b\":1}", Lib0JsonAny.Decode(Convert.FromHexString("760201617f01627d01"))!.ToJsonString());
        Assert.Equal("[null]", Lib0JsonAny.Decode(Convert.FromHexString("75017f"))!.ToJsonString());
    }

    [Fact]
    public void BigIntReadsAsANumber() =>
        Assert.Equal("-2", Lib0JsonAny.Decode(Convert.FromHexString("7afffffffffffffffe"))!.ToJsonString());

    [Theory]
    [InlineData("", nameof(YWebRtcFormatProblem.Truncated))]
    [InlineData("00", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("80", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("7405010203", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("7705616263", nameof(YWebRtcFormatProblem.Truncated))]
    [InlineData("7702c328", nameof(YWebRtcFormatProblem.Malformed))]
    [InlineData("7d00ff", nameof(YWebRtcFormatProblem.Malformed))]
    [InlineData("75ffffffff0f", nameof(YWebRtcFormatProblem.Truncated))]
    [InlineData("76ffffffff0f", nameof(YWebRtcFormatProblem.Truncated))]
    [InlineData("7bfff8000000000000", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("7b7ff0000000000000", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("7c3f80", nameof(YWebRtcFormatProblem.Truncated))]
    [InlineData("7dffffffffffffffff7f", nameof(YWebRtcFormatProblem.TooLarge))]
    [InlineData("7601", nameof(YWebRtcFormatProblem.Truncated))]
    public void BadBytesAreRefusedWithTheirProblem(string hex, string problem)
    {
        var refused = Assert.Throws<YWebRtcFormatException>(() => Lib0JsonAny.Decode(Convert.FromHexString(hex)));
        Assert.Equal(problem, refused.Problem.ToString());
    }

    [Fact]
    public void NestingBeyondTheLimitIsRefused()
    {
        var deep = Enumerable.Repeat(new byte[] { 117, 1 }, Lib0JsonAny.MaxDepth + 1).SelectMany(b => b).Append((byte)126).ToArray();
        var refused = Assert.Throws<YWebRtcFormatException>(() => Lib0JsonAny.Decode(deep));
        Assert.Equal(YWebRtcFormatProblem.TooLarge, refused.Problem);

        var fits = Enumerable.Repeat(new byte[] { 117, 1 }, Lib0JsonAny.MaxDepth).SelectMany(b => b).Append((byte)126).ToArray();
        Assert.NotNull(Lib0JsonAny.Decode(fits));
    }

    [Fact]
    public void SeededRandomJsonRoundTrips()
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        for (var i = 0; i < 500; i++)
        {
            var value = RandomJson(random, 0);
            var back = Lib0JsonAny.Decode(Lib0JsonAny.Encode(value));
            Assert.True(JsonNode.DeepEquals(value, back), $"round {i}: {value?.ToJsonString()} came back as {back?.ToJsonString()}");
        }
    }

    [Fact]
    public void SeededMutationsOnlyEverRaiseOurException()
    {
        output.WriteLine($"seed {Seed + 1}, 5000 mutations");
        var random = new Random(Seed + 1);
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = Lib0JsonAny.Encode(RandomJson(random, 0)).ToList();
            Mutations.Apply(random, bytes);
            try
            {
                Lib0JsonAny.Decode(bytes.ToArray());
                accepted++;
            }
            catch (YWebRtcFormatException)
            {
                // refused with our own exception: what the codec promises
            }
        }

        output.WriteLine($"{accepted} mutated inputs still decoded");
    }

    internal static JsonNode? RandomJson(Random random, int depth)
    {
        var kind = random.Next(depth > 3 ? 5 : 7);
        return kind switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(2) == 0),
            2 => JsonValue.Create(random.Next(-3_000_000, 3_000_000) * (random.Next(3) == 0 ? 1000L : 1L)),
            3 => JsonValue.Create(Math.Round(random.NextDouble() * 1e6, random.Next(0, 8))),
            4 => JsonValue.Create(RandomText(random)),
            5 => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1))]),
            _ => RandomObject(random, depth),
        };
    }

    private static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        for (var i = random.Next(4); i > 0; i--)
        {
            obj[RandomText(random) + i] = RandomJson(random, depth + 1);
        }

        return obj;
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "abc XYZ-_:/\r\n\"\\é☃🔑";
        var chars = new List<char>();
        for (var i = random.Next(12); i > 0; i--)
        {
            var c = alphabet[random.Next(alphabet.Length)];
            if (char.IsHighSurrogate(c) || char.IsLowSurrogate(c))
            {
                chars.AddRange("🔑");
            }
            else
            {
                chars.Add(c);
            }
        }

        return new string([.. chars]);
    }
}
