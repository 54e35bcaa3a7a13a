using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;

namespace P2PSync.Crdt.Tests.Positions;

public sealed class RelativePositionCodecTests
{
    public static TheoryData<string> MalformedPositions => new()
    {
        "",               // nothing at all
        "03",             // unknown kind
        "7f0100",         // unknown kind
        "00",             // item kind without id
        "0001",           // item id without clock
        "0105",           // root name shorter than announced
        "0104ff ffffff".Replace(" ", ""), // root name that is not UTF-8
        "02",             // type kind without id
        "0001ffffffff0f", // clock above int.MaxValue
        "000101ffffffff3f", // assoc below int.MinValue
        "000101ff",       // assoc varint cut short
        "00ffffffffffffffff01", // client varint longer than lib0 writes
    };

    [Theory]
    [MemberData(nameof(MalformedPositions))]
    public void MalformedBytesThrowFormatException(string hex)
    {
        Assert.Throws<UpdateFormatException>(() => Y.DecodeRelativePosition(Convert.FromHexString(hex)));
    }

    [Fact]
    public void MissingAssocReadsAsZero()
    {
        // Yjs before 13.5 did not write assoc.
        var rpos = Y.DecodeRelativePosition(Convert.FromHexString("000507"));

        Assert.Equal(new ID(5, 7), rpos.Item);
        Assert.Null(rpos.Type);
        Assert.Null(rpos.TName);
        Assert.Equal(0, rpos.Assoc);
    }

    [Fact]
    public void BytesAfterAssocAreIgnoredAsInYjs()
    {
        var rpos = Y.DecodeRelativePosition(Convert.FromHexString("0104746578742a" + "deadbeef"));

        Assert.Equal("text", rpos.TName);
        Assert.Equal(42, rpos.Assoc);
    }

    [Fact]
    public void EncodingWritesOnlyTheStrongestAnchor()
    {
        var both = new RelativePosition(new ID(9, 9), "root", new ID(3, 4), -1);
        var decoded = Y.DecodeRelativePosition(Y.EncodeRelativePosition(both));

        Assert.Equal("00030441", Convert.ToHexStringLower(Y.EncodeRelativePosition(both)));
        Assert.Equal(new ID(3, 4), decoded.Item);
        Assert.Null(decoded.TName);
        Assert.Null(decoded.Type);
        Assert.False(Y.CompareRelativePositions(both, decoded));
    }

    [Fact]
    public void RoundTripsEveryKindWithExtremeValues()
    {
        var positions = new[]
        {
            new RelativePosition(null, null, new ID(Lib0Reader.MaxSafeInteger, int.MaxValue), int.MinValue),
            new RelativePosition(null, "", null, int.MaxValue),
            new RelativePosition(null, "ünï\ud83d\ude00", null, -1),
            new RelativePosition(new ID(0, 0), null, null, 0),
            new RelativePosition(new ID(1234567890123, 17), null, null, 5),
        };

        foreach (var rpos in positions)
        {
            var decoded = Y.DecodeRelativePosition(Y.EncodeRelativePosition(rpos));
            Assert.True(Y.CompareRelativePositions(rpos, decoded), rpos.ToString());
        }
    }

    [Fact]
    public void ConstructorRejectsPositionWithoutAnchor()
    {
        Assert.Throws<ArgumentException>(() => new RelativePosition(null, null, null));
    }

    [Fact]
    public void CompareTreatsNullsAndFieldsAsYjsDoes()
    {
        var a = new RelativePosition(null, "t", new ID(1, 2), 0);

        Assert.True(Y.CompareRelativePositions(null, null));
        Assert.False(Y.CompareRelativePositions(a, null));
        Assert.False(Y.CompareRelativePositions(null, a));
        Assert.True(Y.CompareRelativePositions(a, new RelativePosition(null, "t", new ID(1, 2), 0)));
        Assert.False(Y.CompareRelativePositions(a, new RelativePosition(null, "t", new ID(1, 2), -1)));
        Assert.False(Y.CompareRelativePositions(a, new RelativePosition(null, "u", new ID(1, 2), 0)));
        Assert.False(Y.CompareRelativePositions(a, new RelativePosition(new ID(0, 0), "t", new ID(1, 2), 0)));
    }

    [Fact]
    public void JsonLeavesOutAnEmptyRootNameAsYjsDoes()
    {
        var json = Y.RelativePositionToJson(new RelativePosition(null, "", new ID(1, 0), 0));

        Assert.Equal("""{"item":{"client":1,"clock":0},"assoc":0}""", Lib0Any.ToJsonString(json));
    }

    [Fact]
    public void JsonAcceptsNullFieldsAndDoublesLikeYjs()
    {
        var json = (Dictionary<string, object?>)Lib0Any.ParseJson(
            """{"type":null,"tname":null,"item":{"client":7.0,"clock":3},"assoc":null}""")!;

        var rpos = Y.CreateRelativePositionFromJson(json);

        Assert.Equal(new ID(7, 3), rpos.Item);
        Assert.Null(rpos.Type);
        Assert.Null(rpos.TName);
        Assert.Equal(0, rpos.Assoc);
    }

    public static TheoryData<string> MalformedJson => new()
    {
        "{}",
        """{"assoc":0}""",
        """{"tname":5}""",
        """{"item":5}""",
        """{"item":{"client":1}}""",
        """{"item":{"client":-1,"clock":0}}""",
        """{"item":{"client":1.5,"clock":0}}""",
        """{"item":{"client":1,"clock":2147483648}}""",
        """{"item":{"client":9007199254740992,"clock":0}}""",
        """{"tname":"t","assoc":"x"}""",
        """{"tname":"t","assoc":1e20}""",
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public void MalformedJsonThrowsFormatException(string text)
    {
        var json = (Dictionary<string, object?>)Lib0Any.ParseJson(text)!;

        Assert.Throws<UpdateFormatException>(() => Y.CreateRelativePositionFromJson(json));
    }
}
