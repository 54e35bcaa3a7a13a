using System.Numerics;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Tests.Encoding;

/// <summary>Our encoders must produce exactly the bytes lib0/yjs produce (see Lib0GoldenData).</summary>
public sealed class Lib0GoldenTests
{
    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Encode(Action<Lib0Writer> write)
    {
        var writer = new Lib0Writer();
        write(writer);
        return Hex(writer.ToArray());
    }

    public static TheoryData<ulong> VarUints => new() { 0, 1, 127, 128, 255, 256, 16383, 16384, 2147483647, 4294967296, 9007199254740991 };

    public static TheoryData<long> VarInts => new()
    {
        0, 1, -1, 63, 64, -63, -64, -65, 8191, 8192, 2147483647, -2147483647, 9007199254740991, -9007199254740991,
    };

    [Theory]
    [MemberData(nameof(VarUints))]
    public void VarUint_MatchesLib0(ulong value)
    {
        Assert.Equal(Lib0GoldenData.Hex[$"varuint:{value}"], Encode(w => w.WriteVarUint(value)));
        Assert.Equal(value, new Lib0Reader(Lib0GoldenData.Bytes($"varuint:{value}")).ReadVarUint());
    }

    [Theory]
    [MemberData(nameof(VarInts))]
    public void VarInt_MatchesLib0(long value)
    {
        Assert.Equal(Lib0GoldenData.Hex[$"varint:{value}"], Encode(w => w.WriteVarInt(value)));
        Assert.Equal(value, new Lib0Reader(Lib0GoldenData.Bytes($"varint:{value}")).ReadVarInt());
    }

    public static TheoryData<string, string> Strings => new()
    {
        { "empty", "" },
        { "a", "a" },
        { "hello", "hello" },
        { "umlaut", "ü" },
        { "euro", "€" },
        { "emoji", "😀" },
        { "loneHigh", "\ud800" },
        { "loneLowInside", "a\udc00b" },
        { "long", string.Concat(Enumerable.Repeat("abcdefghij", 30)) },
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void VarString_MatchesLib0(string name, string value)
    {
        Assert.Equal(Lib0GoldenData.Hex[$"varstring:{name}"], Encode(w => w.WriteVarString(value)));
        // Lone surrogates do not survive UTF-8; everything else must read back unchanged.
        var expected = value.Replace('\ud800', '\ufffd').Replace('\udc00', '\ufffd');
        Assert.Equal(expected, new Lib0Reader(Lib0GoldenData.Bytes($"varstring:{name}")).ReadVarString());
    }

    [Fact]
    public void FixedWidthNumbers_MatchLib0()
    {
        Assert.Equal(Lib0GoldenData.Hex["float32:1.5"], Encode(w => w.WriteFloat32(1.5f)));
        Assert.Equal(Lib0GoldenData.Hex["float32:-0.25"], Encode(w => w.WriteFloat32(-0.25f)));
        Assert.Equal(Lib0GoldenData.Hex["float64:0.1"], Encode(w => w.WriteFloat64(0.1)));
        Assert.Equal(Lib0GoldenData.Hex["float64:-1e300"], Encode(w => w.WriteFloat64(-1e300)));
        Assert.Equal(Lib0GoldenData.Hex["bigint64:0"], Encode(w => w.WriteBigInt64(0)));
        Assert.Equal(Lib0GoldenData.Hex["bigint64:-1"], Encode(w => w.WriteBigInt64(-1)));
        Assert.Equal(Lib0GoldenData.Hex["bigint64:max"], Encode(w => w.WriteBigInt64(long.MaxValue)));
        Assert.Equal(Lib0GoldenData.Hex["varuint8array:010203"], Encode(w => w.WriteVarUint8Array(new byte[] { 1, 2, 3 })));

        Assert.Equal(-0.25f, new Lib0Reader(Lib0GoldenData.Bytes("float32:-0.25")).ReadFloat32());
        Assert.Equal(-1e300, new Lib0Reader(Lib0GoldenData.Bytes("float64:-1e300")).ReadFloat64());
        Assert.Equal(long.MaxValue, new Lib0Reader(Lib0GoldenData.Bytes("bigint64:max")).ReadBigInt64());
    }

    public static TheoryData<string, object?> Anys => new()
    {
        { "null", null },
        { "undefined", Undefined.Value },
        { "true", true },
        { "false", false },
        { "zero", 0L },
        { "negzero", -0.0 },
        { "one", 1 },
        { "minusone", -1L },
        { "int31max", 2147483647L },
        { "int31min", -2147483647 },
        { "int31over", 2147483648L },
        { "int32min", (double)int.MinValue },
        { "threeE9", 3e9 },
        { "onePointFive", 1.5 },
        { "pointOne", 0.1 },
        { "nan", double.NaN },
        { "inf", double.PositiveInfinity },
        { "negInf", float.NegativeInfinity },
        { "big", 1e20 },
        { "maxSafe", 9007199254740991L },
        { "bigint", new BigInteger(12345678901234567890UL & (ulong)long.MaxValue) },
        { "string", "str" },
        { "emptyString", "" },
        { "bytes", new byte[] { 1, 2, 3 } },
        { "emptyArray", new List<object?>() },
        { "emptyObject", new Dictionary<string, object?>() },
        { "array", new object?[] { 1L, "two", null, true, new List<object?> { 3.5 } } },
        {
            "object", new Dictionary<string, object?>
            {
                ["a"] = 1L,
                ["b"] = new List<object?> { 1, 2L },
                ["c"] = new Dictionary<string, object?> { ["d"] = "e" },
                ["u"] = Undefined.Value,
            }
        },
        {
            "nested", new Dictionary<string, object?>
            {
                ["list"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["x"] = 1L },
                    new Dictionary<string, object?> { ["y"] = new List<object?> { false, null } },
                },
                ["bin"] = new byte[] { 255 },
            }
        },
    };

    [Theory]
    [MemberData(nameof(Anys))]
    public void Any_MatchesLib0AndReadsBack(string name, object? value)
    {
        var golden = Lib0GoldenData.Bytes($"any:{name}");
        Assert.Equal(Hex(golden), Encode(w => w.WriteAny(value)));

        var reader = new Lib0Reader(golden);
        var decoded = reader.ReadAny();
        Assert.False(reader.HasContent);
        if (value is double d && double.IsNaN(d))
        {
            Assert.True(decoded is double e && double.IsNaN(e));
        }
        else
        {
            Assert.True(Lib0Any.DeepEquals(value, decoded), $"{name}: decoded {Lib0Any.ToJsonString(decoded)}");
        }
        // Decoded values re-encode to the same bytes.
        Assert.Equal(Hex(golden), Encode(w => w.WriteAny(decoded)));
    }

    [Fact]
    public void Rle_MatchesLib0()
    {
        AssertRle("empty", []);
        AssertRle("single", [5]);
        AssertRle("runs", [1, 1, 1, 2, 3, 3]);
        AssertRle("alternating", [0, 1, 0, 1, 1]);
    }

    private static void AssertRle(string name, byte[] values)
    {
        var encoder = new RleEncoder();
        foreach (var v in values)
        {
            encoder.Write(v);
        }
        var bytes = encoder.ToArray();
        Assert.Equal(Lib0GoldenData.Hex[$"rle:{name}"], Hex(bytes));
        var decoder = new RleDecoder(bytes);
        foreach (var v in values)
        {
            Assert.Equal(v, decoder.Read());
        }
    }

    [Fact]
    public void UintOptRle_MatchesLib0()
    {
        AssertUintOptRle("empty", []);
        AssertUintOptRle("single", [7]);
        AssertUintOptRle("zero", [0]);
        AssertUintOptRle("zeros", [0, 0, 0]);
        AssertUintOptRle("mixed", [0, 0, 0, 1, 2, 2, 2, 2, 3]);
        AssertUintOptRle("large", [4294967296, 4294967296, 70000]);
    }

    private static void AssertUintOptRle(string name, ulong[] values)
    {
        var encoder = new UintOptRleEncoder();
        foreach (var v in values)
        {
            encoder.Write(v);
        }
        var bytes = encoder.ToArray();
        Assert.Equal(Lib0GoldenData.Hex[$"uintoptrle:{name}"], Hex(bytes));
        var decoder = new UintOptRleDecoder(bytes);
        foreach (var v in values)
        {
            Assert.Equal(v, decoder.Read());
        }
    }

    [Fact]
    public void IntDiffOptRle_MatchesLib0()
    {
        AssertIntDiffOptRle("empty", []);
        AssertIntDiffOptRle("zero", [0]);
        AssertIntDiffOptRle("three", [3]);
        AssertIntDiffOptRle("counting", [0, 1, 2, 3, 4, 10, 11, 12, 5, 5, 5]);
        AssertIntDiffOptRle("descending", [100, 90, 80, 81, 0]);
    }

    private static void AssertIntDiffOptRle(string name, long[] values)
    {
        var encoder = new IntDiffOptRleEncoder();
        foreach (var v in values)
        {
            encoder.Write(v);
        }
        var bytes = encoder.ToArray();
        Assert.Equal(Lib0GoldenData.Hex[$"intdiffoptrle:{name}"], Hex(bytes));
        var decoder = new IntDiffOptRleDecoder(bytes);
        foreach (var v in values)
        {
            Assert.Equal(v, decoder.Read());
        }
    }

    [Fact]
    public void StringEncoder_MatchesLib0()
    {
        AssertStrings("empty", []);
        AssertStrings("mixed", ["a", "bc", "", "😀", "the quick brown fox jumps", "x", "x", "x"]);
        // The two halves of one emoji in separate strings: joined before UTF-8, split again on read.
        AssertStrings("splitpair", ["x\ud83d", "\ude00y"]);
    }

    private static void AssertStrings(string name, string[] values)
    {
        var encoder = new StringEncoder();
        foreach (var v in values)
        {
            encoder.Write(v);
        }
        var bytes = encoder.ToArray();
        Assert.Equal(Lib0GoldenData.Hex[$"stringencoder:{name}"], Hex(bytes));
        var decoder = new StringDecoder(bytes);
        foreach (var v in values)
        {
            Assert.Equal(v, decoder.Read());
        }
    }

    /// <summary>The call sequence of lib0-golden.mjs's <c>sequence</c>.</summary>
    internal static void WriteSequence(IUpdateEncoder e)
    {
        e.WriteClient(1);
        e.WriteInfo(0x84);
        e.WriteLeftId(new ID(1, 0));
        e.WriteRightId(new ID(2, 5));
        e.WriteParentInfo(true);
        e.WriteString("root");
        e.WriteParentInfo(false);
        e.WriteTypeRef(3);
        e.WriteLen(3);
        e.WriteLen(3);
        e.WriteLen(1);
        e.WriteAny(new Dictionary<string, object?> { ["a"] = new List<object?> { 1L, 2.5, "x" } });
        e.WriteBuf([9, 8, 7]);
        e.WriteJson(new Dictionary<string, object?> { ["bold"] = true, ["n"] = 1.25 });
        e.WriteKey("k1");
        e.WriteKey("k2");
        e.WriteKey("k1");
        e.WriteString("hello 😀");
        e.WriteClient(1UL << 40);
        e.WriteInfo(0x84);
        e.WriteInfo(0x28);
        e.WriteLeftId(new ID(1UL << 40, 7));
        e.WriteLeftId(new ID(1UL << 40, 8));
        e.ResetDsCurVal();
        e.WriteDsClock(3);
        e.WriteDsLen(2);
        e.WriteDsClock(10);
        e.WriteDsLen(1);
        e.ResetDsCurVal();
        e.WriteDsClock(0);
        e.WriteDsLen(7);
    }

    /// <summary>Reads back what <see cref="WriteSequence"/> wrote, in the same order.</summary>
    internal static void ReadSequence(IUpdateDecoder d)
    {
        Assert.Equal(1UL, d.ReadClient());
        Assert.Equal(0x84, d.ReadInfo());
        Assert.Equal(new ID(1, 0), d.ReadLeftId());
        Assert.Equal(new ID(2, 5), d.ReadRightId());
        Assert.True(d.ReadParentInfo());
        Assert.Equal("root", d.ReadString());
        Assert.False(d.ReadParentInfo());
        Assert.Equal(3, d.ReadTypeRef());
        Assert.Equal(3, d.ReadLen());
        Assert.Equal(3, d.ReadLen());
        Assert.Equal(1, d.ReadLen());
        Assert.Equal("{\"a\":[1,2.5,\"x\"]}", Lib0Any.ToJsonString(d.ReadAny()));
        Assert.Equal(new byte[] { 9, 8, 7 }, d.ReadBuf());
        Assert.Equal("{\"bold\":true,\"n\":1.25}", Lib0Any.ToJsonString(d.ReadJson()));
        Assert.Equal("k1", d.ReadKey());
        Assert.Equal("k2", d.ReadKey());
        Assert.Equal("k1", d.ReadKey());
        Assert.Equal("hello 😀", d.ReadString());
        Assert.Equal(1UL << 40, d.ReadClient());
        Assert.Equal(0x84, d.ReadInfo());
        Assert.Equal(0x28, d.ReadInfo());
        Assert.Equal(new ID(1UL << 40, 7), d.ReadLeftId());
        Assert.Equal(new ID(1UL << 40, 8), d.ReadLeftId());
        d.ResetDsCurVal();
        Assert.Equal(3, d.ReadDsClock());
        Assert.Equal(2, d.ReadDsLen());
        Assert.Equal(10, d.ReadDsClock());
        Assert.Equal(1, d.ReadDsLen());
        d.ResetDsCurVal();
        Assert.Equal(0, d.ReadDsClock());
        Assert.Equal(7, d.ReadDsLen());
        Assert.False(d.RestReader.HasContent);
    }

    [Fact]
    public void UpdateEncoderV1_MatchesYjs()
    {
        var encoder = new UpdateEncoderV1();
        WriteSequence(encoder);
        Assert.Equal(Lib0GoldenData.Hex["updateencoder:v1"], Hex(encoder.ToArray()));
        ReadSequence(new UpdateDecoderV1(Lib0GoldenData.Bytes("updateencoder:v1")));
    }

    [Fact]
    public void UpdateEncoderV2_MatchesYjs()
    {
        var encoder = new UpdateEncoderV2();
        WriteSequence(encoder);
        Assert.Equal(Lib0GoldenData.Hex["updateencoder:v2"], Hex(encoder.ToArray()));
        ReadSequence(new UpdateDecoderV2(Lib0GoldenData.Bytes("updateencoder:v2")));
    }

    public static TheoryData<string> JsonNumberKeys =>
        new(Lib0GoldenData.Hex.Keys.Where(k => k.StartsWith("json:number:", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(JsonNumberKeys))]
    public void ToJsonString_FormatsNumbersLikeV8(string key)
    {
        // The key carries the double's little-endian bits, the value JSON.stringify's output.
        var bits = Convert.FromHexString(key.Split(':')[3]);
        var value = BitConverter.ToDouble(bits);
        var expected = System.Text.Encoding.UTF8.GetString(Lib0GoldenData.Bytes(key));
        Assert.Equal(expected, Lib0Any.ToJsonString(value));
    }

    // Indexed rather than passed as theory data: xunit's serializer would mangle lone surrogates.
    private static readonly string[] JsonStringValues =
    [
        "plain",
        "quote\"back\\slash",
        "ctl\u0000\u0001\u001f\u007f",
        "\b\f\n\r\t",
        "/slash",
        "emoji😀",
        "lone\ud800x",
        "low\udfff",
        "\u2028\u2029",
        "é",
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void ToJsonString_EscapesStringsLikeV8(int index)
    {
        var value = JsonStringValues[index];
        var expected = System.Text.Encoding.UTF8.GetString(Lib0GoldenData.Bytes($"json:string:{index}"));
        Assert.Equal(expected, Lib0Any.ToJsonString(value));
        Assert.Equal(value, Lib0Any.ParseJson(expected));
    }

    public static TheoryData<int, string> ParsedJson => new()
    {
        { 0, "{\"b\":1,\"a\":2,\"1\":3,\"0\":4,\"10\":5,\"01\":6}" },
        { 1, "[1,1.5,-0,1e2,\"x\",null,true,{\"__proto__\":1}]" },
        { 2, "{\"a\":{\"a\":1,\"a\":2},\"a\":3}" },
        { 3, "12345678901234567890" },
        { 4, "-0.0" },
        { 5, "1E400" },
    };

    [Theory]
    [MemberData(nameof(ParsedJson))]
    public void ParseJson_ThenWriteAny_MatchesJsonParse(int index, string text)
    {
        Assert.Equal(Lib0GoldenData.Hex[$"jsonparse:{index}"], Encode(w => w.WriteAny(Lib0Any.ParseJson(text))));
    }
}
