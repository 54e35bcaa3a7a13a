using System.Numerics;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Tests.Encoding;

public sealed class Lib0AnyTests
{
    private static object? RoundTrip(object? value)
    {
        var writer = new Lib0Writer();
        writer.WriteAny(value);
        var reader = new Lib0Reader(writer.ToArray());
        var result = reader.ReadAny();
        Assert.False(reader.HasContent);
        return result;
    }

    [Fact]
    public void ReadAny_ProducesContractTypes()
    {
        Assert.IsType<long>(RoundTrip(5));
        Assert.IsType<long>(RoundTrip(3e9)); // integral float32 on the wire is still an integer
        Assert.IsType<double>(RoundTrip(0.5f));
        Assert.IsType<BigInteger>(RoundTrip(new BigInteger(-5)));
        Assert.IsType<byte[]>(RoundTrip(new byte[] { 1 }));
        Assert.IsType<List<object?>>(RoundTrip(new[] { "a" }));
        Assert.IsType<Dictionary<string, object?>>(RoundTrip(new Dictionary<string, object?>()));
        Assert.Same(Undefined.Value, RoundTrip(Undefined.Value));
        var negativeZero = Assert.IsType<double>(RoundTrip(-0.0));
        Assert.True(double.IsNegative(negativeZero));
    }

    [Fact]
    public void Writer_AcceptsOtherCollectionShapes()
    {
        var fromLongArray = RoundTrip(new long[] { 1, 2 });
        Assert.True(Lib0Any.DeepEquals(new List<object?> { 1L, 2L }, fromLongArray));
        var fromTypedDictionary = RoundTrip(new Dictionary<string, int> { ["a"] = 1 });
        Assert.True(Lib0Any.DeepEquals(new Dictionary<string, object?> { ["a"] = 1L }, fromTypedDictionary));
        Assert.Throws<ArgumentException>(() => new Lib0Writer().WriteAny(new object()));
    }

    [Fact]
    public void BigInteger_WrapsToSixtyFourBitsLikeSetBigInt64()
    {
        Assert.Equal(new BigInteger(-1), RoundTrip(BigInteger.Pow(2, 64) - 1));
    }

    [Fact]
    public void ReadAny_OrdersObjectKeysLikeJs()
    {
        // {"b": 1, "1": 2, "a": 3, "0": 4} as written by a non-JS encoder.
        var writer = new Lib0Writer();
        writer.WriteUint8(118);
        writer.WriteVarUint(4);
        foreach (var (key, value) in new[] { ("b", 1L), ("1", 2L), ("a", 3L), ("0", 4L) })
        {
            writer.WriteVarString(key);
            writer.WriteAny(value);
        }
        var decoded = Assert.IsType<Dictionary<string, object?>>(new Lib0Reader(writer.ToArray()).ReadAny());
        Assert.Equal(["0", "1", "b", "a"], decoded.Keys);
    }

    [Fact]
    public void ReadAny_DuplicateKeysKeepFirstPositionLastValue_AndDropsProto()
    {
        var writer = new Lib0Writer();
        writer.WriteUint8(118);
        writer.WriteVarUint(4);
        writer.WriteVarString("x");
        writer.WriteAny(1);
        writer.WriteVarString("__proto__");
        writer.WriteAny(new Dictionary<string, object?>());
        writer.WriteVarString("y");
        writer.WriteAny(2);
        writer.WriteVarString("x");
        writer.WriteAny(3);
        var decoded = Assert.IsType<Dictionary<string, object?>>(new Lib0Reader(writer.ToArray()).ReadAny());
        Assert.Equal(["x", "y"], decoded.Keys);
        Assert.Equal(3L, decoded["x"]);
    }

    [Fact]
    public void DeepEquals_UsesJsNumberSemantics()
    {
        Assert.True(Lib0Any.DeepEquals(1L, 1.0));
        Assert.True(Lib0Any.DeepEquals(1, 1L));
        Assert.False(Lib0Any.DeepEquals(1L, "1"));
        Assert.False(Lib0Any.DeepEquals(null, Undefined.Value));
        Assert.False(Lib0Any.DeepEquals(new List<object?> { 1L }, new List<object?> { 1L, 2L }));
        Assert.True(Lib0Any.DeepEquals(
            new Dictionary<string, object?> { ["a"] = new byte[] { 1 }, ["b"] = null },
            new Dictionary<string, object?> { ["b"] = null, ["a"] = new byte[] { 1 } }));
        Assert.False(Lib0Any.DeepEquals(
            new Dictionary<string, object?> { ["a"] = 1L },
            new Dictionary<string, object?> { ["b"] = 1L }));
    }

    [Fact]
    public void ToJsonString_FollowsJsonStringify()
    {
        var value = new Dictionary<string, object?>
        {
            ["u"] = Undefined.Value,
            ["list"] = new List<object?> { Undefined.Value, double.NaN, double.PositiveInfinity, -0.0, 2.5 },
            ["bytes"] = new byte[] { 7, 255 },
            ["s"] = "a\"b",
        };
        Assert.Equal("{\"list\":[null,null,null,0,2.5],\"bytes\":{\"0\":7,\"1\":255},\"s\":\"a\\\"b\"}", Lib0Any.ToJsonString(value));
        Assert.Equal("null", Lib0Any.ToJsonString(Undefined.Value));
        Assert.Equal("123456789012345678901234567890", Lib0Any.ToJsonString(BigInteger.Parse("123456789012345678901234567890")));
    }

    [Theory]
    [InlineData(" { \"a\" : [ 1 , 2 ] } ", "{\"a\":[1,2]}")]
    [InlineData("\"\\u00e9\\/\"", "\"é/\"")]
    [InlineData("1.0", "1")]
    [InlineData("-1.5e3", "-1500")]
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    public void ParseJson_ParsesStrictJson(string text, string normalized)
    {
        Assert.Equal(normalized, Lib0Any.ToJsonString(Lib0Any.ParseJson(text)));
    }

    [Fact]
    public void ParseJson_KeepsProtoAsOrdinaryKey()
    {
        var parsed = Assert.IsType<Dictionary<string, object?>>(Lib0Any.ParseJson("{\"__proto__\":1}"));
        Assert.Equal(1L, parsed["__proto__"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("undefined")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{a:1}")]
    [InlineData("'a'")]
    [InlineData("\"a")]
    [InlineData("\"\\x\"")]
    [InlineData("\"\\u12\"")]
    [InlineData("\"tab\there\"")]
    [InlineData("[1] x")]
    [InlineData("NaN")]
    [InlineData("tru")]
    public void ParseJson_RejectsInvalidJson(string text)
    {
        Assert.Throws<UpdateFormatException>(() => Lib0Any.ParseJson(text));
    }

    [Fact]
    public void ParseJson_BoundsNesting()
    {
        Assert.NotNull(Lib0Any.ParseJson(new string('[', Lib0Any.MaxDepth) + new string(']', Lib0Any.MaxDepth)));
        Assert.Throws<UpdateFormatException>(() =>
            Lib0Any.ParseJson(new string('[', Lib0Any.MaxDepth + 1) + new string(']', Lib0Any.MaxDepth + 1)));
    }

    [Fact]
    public void RandomValues_RoundTripThroughBinaryAndJson()
    {
        var random = new Random(1234);
        for (var i = 0; i < 300; i++)
        {
            var value = RandomValue(random, 0);
            Assert.True(Lib0Any.DeepEquals(value, RoundTrip(value)), Lib0Any.ToJsonString(value));
            var json = Lib0Any.ToJsonString(value);
            Assert.Equal(json, Lib0Any.ToJsonString(Lib0Any.ParseJson(json)));
        }
    }

    /// <summary>JSON-safe random values (no undefined, bytes or non-finite numbers).</summary>
    private static object? RandomValue(Random random, int depth)
    {
        var kind = random.Next(depth > 3 ? 6 : 8);
        switch (kind)
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return random.NextInt64(-(1L << 40), 1L << 40);
            case 3: return (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30));
            case 4: return (long)random.Next(-100, 100);
            case 5:
            {
                var chars = new char[random.Next(0, 12)];
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = (char)random.Next(0x20, 0x3000);
                }
                return new string(chars);
            }
            case 6:
            {
                var list = new List<object?>();
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    list.Add(RandomValue(random, depth + 1));
                }
                return list;
            }
            default:
            {
                var map = new Dictionary<string, object?>();
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    map["k" + random.Next(100)] = RandomValue(random, depth + 1);
                }
                return map;
            }
        }
    }
}
