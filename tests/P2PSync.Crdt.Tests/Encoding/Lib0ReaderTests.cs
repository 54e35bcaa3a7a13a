using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Tests.Encoding;

public sealed class Lib0ReaderTests
{
    private static Lib0Reader Reader(string hex) => new(Convert.FromHexString(hex));

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("ffff")]
    public void ReadVarUint_Truncated_Throws(string hex)
    {
        Assert.Throws<UpdateFormatException>(() => Reader(hex).ReadVarUint());
    }

    [Theory]
    [InlineData("")]
    [InlineData("c0")]
    [InlineData("bfff")]
    public void ReadVarInt_Truncated_Throws(string hex)
    {
        Assert.Throws<UpdateFormatException>(() => Reader(hex).ReadVarInt());
    }

    [Fact]
    public void ReadVarUint_AcceptsMaxSafeInteger_RejectsBeyond()
    {
        Assert.Equal((1UL << 53) - 1, Reader("ffffffffffffff0f").ReadVarUint());
        // 2^53 fits in 8 bytes but is beyond what lib0 can represent exactly.
        Assert.Throws<UpdateFormatException>(() => Reader("8080808080808010").ReadVarUint());
        // A ninth byte is overlong whatever its value.
        Assert.Throws<UpdateFormatException>(() => Reader("808080808080808000").ReadVarUint());
    }

    [Fact]
    public void ReadVarInt_RejectsBeyondMaxSafeInteger()
    {
        Assert.Equal(-((1L << 53) - 1), Reader("ffffffffffffff1f").ReadVarInt());
        Assert.Throws<UpdateFormatException>(() => Reader("ffffffffffffff2f").ReadVarInt());
        Assert.Throws<UpdateFormatException>(() => Reader("c08080808080808000").ReadVarInt());
    }

    [Fact]
    public void ReadVarInt_ExposesNegativeZero()
    {
        var magnitude = Reader("40").ReadVarInt(out var negative);
        Assert.Equal(0UL, magnitude);
        Assert.True(negative);
    }

    [Fact]
    public void NonCanonicalVarUint_IsAcceptedLikeLib0()
    {
        // lib0 never writes a redundant zero group but reads one; so do we (within 8 bytes).
        Assert.Equal(1UL, Reader("8100").ReadVarUint());
    }

    [Fact]
    public void ReadVarUintAsInt_RejectsAboveIntMax()
    {
        Assert.Equal(int.MaxValue, Reader("ffffffff07").ReadVarUintAsInt());
        Assert.Throws<UpdateFormatException>(() => Reader("8080808008").ReadVarUintAsInt());
    }

    [Fact]
    public void Lengths_AreCheckedBeforeAllocating()
    {
        // Claims 2^53 - 1 bytes with nothing behind it.
        Assert.Throws<UpdateFormatException>(() => Reader("ffffffffffffff0f").ReadVarUint8Array());
        Assert.Throws<UpdateFormatException>(() => Reader("ffffffffffffff0f").ReadVarString());
        Assert.Throws<UpdateFormatException>(() => Reader("03616263").ReadUint8Array(5));
        // An any array/object claiming a billion entries.
        Assert.Throws<UpdateFormatException>(() => Reader("7580a8d6b903").ReadAny());
        Assert.Throws<UpdateFormatException>(() => Reader("7680a8d6b903").ReadAny());
    }

    [Fact]
    public void ReadVarString_RejectsInvalidUtf8LikeFatalTextDecoder()
    {
        Assert.Throws<UpdateFormatException>(() => Reader("01ff").ReadVarString());
        Assert.Throws<UpdateFormatException>(() => Reader("02c328").ReadVarString());
        // An encoded surrogate (ED A0 80) is not valid UTF-8 either.
        Assert.Throws<UpdateFormatException>(() => Reader("03eda080").ReadVarString());
    }

    [Fact]
    public void ReadVarString_KeepsByteOrderMark()
    {
        Assert.Equal("\ufeffa", Reader("04efbbbf61").ReadVarString());
    }

    [Theory]
    [InlineData("73")]
    [InlineData("00")]
    [InlineData("80")]
    [InlineData("ff")]
    public void ReadAny_UnknownTag_Throws(string hex)
    {
        Assert.Throws<UpdateFormatException>(() => Reader(hex).ReadAny());
    }

    [Fact]
    public void ReadAny_BoundsNesting()
    {
        var ok = Convert.FromHexString(string.Concat(Enumerable.Repeat("7501", Lib0Any.MaxDepth)) + "7e");
        Assert.NotNull(new Lib0Reader(ok).ReadAny());
        var deep = Convert.FromHexString(string.Concat(Enumerable.Repeat("7501", Lib0Any.MaxDepth + 1)) + "7e");
        Assert.Throws<UpdateFormatException>(() => new Lib0Reader(deep).ReadAny());
        var deepObjects = Convert.FromHexString(string.Concat(Enumerable.Repeat("76010161", Lib0Any.MaxDepth + 1)) + "7e");
        Assert.Throws<UpdateFormatException>(() => new Lib0Reader(deepObjects).ReadAny());
    }

    [Theory]
    [InlineData("7c3f")]
    [InlineData("7b3fb999")]
    [InlineData("7a00")]
    [InlineData("7703ab")]
    [InlineData("760101")]
    public void ReadAny_Truncated_Throws(string hex)
    {
        Assert.Throws<UpdateFormatException>(() => Reader(hex).ReadAny());
    }

    [Fact]
    public void Writer_GrowsPastInitialCapacity()
    {
        var writer = new Lib0Writer(16);
        var big = new byte[10_000];
        new Random(7).NextBytes(big);
        writer.WriteUint8(1);
        writer.WriteVarUint8Array(big);
        writer.WriteVarString(new string('x', 5000));
        var reader = new Lib0Reader(writer.ToArray());
        Assert.Equal(1, reader.ReadUint8());
        Assert.Equal(big, reader.ReadVarUint8Array());
        Assert.Equal(new string('x', 5000), reader.ReadVarString());
        Assert.False(reader.HasContent);
    }

    [Fact]
    public void VarInts_RoundTripRandomValues()
    {
        var random = new Random(42);
        var writer = new Lib0Writer();
        var values = new List<long>();
        for (var i = 0; i < 2000; i++)
        {
            var bits = random.Next(0, 54);
            var value = bits == 0 ? 0 : random.NextInt64(0, 1L << bits) * (random.Next(2) == 0 ? 1 : -1);
            values.Add(value);
            writer.WriteVarInt(value);
            writer.WriteVarUint((ulong)Math.Abs(value));
        }
        var reader = new Lib0Reader(writer.ToArray());
        foreach (var value in values)
        {
            Assert.Equal(value, reader.ReadVarInt());
            Assert.Equal((ulong)Math.Abs(value), reader.ReadVarUint());
        }
        Assert.False(reader.HasContent);
    }
}
