using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Encoding;

public sealed class ContentTests
{
    private static IContent RoundTrip(IContent content, bool v2, int offset = 0)
    {
        IUpdateEncoder encoder = v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();
        content.Write(encoder, offset);
        var bytes = encoder.ToArray();
        IUpdateDecoder decoder = v2 ? new UpdateDecoderV2(bytes) : new UpdateDecoderV1(bytes);
        var result = ContentReader.Read(decoder, content.Ref);
        Assert.False(decoder.RestReader.HasContent);
        return result;
    }

    [Fact]
    public void ContentString_SplitsMergesAndCountsUtf16Units()
    {
        var content = new ContentString("héllo");
        Assert.Equal(5, content.Length);
        Assert.True(content.Countable);
        Assert.Equal(new object?[] { "h", "é", "l", "l", "o" }, content.GetContent());
        var right = (ContentString)content.Splice(2);
        Assert.Equal("hé", content.Str);
        Assert.Equal("llo", right.Str);
        Assert.True(content.MergeWith(right));
        Assert.Equal("héllo", content.Str);
    }

    [Fact]
    public void ContentString_SplittingASurrogatePair_ReplacesBothHalves()
    {
        var content = new ContentString("a😀b");
        var right = (ContentString)content.Splice(2);
        Assert.Equal("a\ufffd", content.Str);
        Assert.Equal("\ufffdb", right.Str);
        // Lengths (clocks) are unchanged by the replacement.
        Assert.Equal(2, content.Length);
        Assert.Equal(2, right.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContentString_WriteWithOffset_WritesTheTail(bool v2)
    {
        var read = (ContentString)RoundTrip(new ContentString("hello"), v2, offset: 3);
        Assert.Equal("lo", read.Str);
    }

    [Fact]
    public void ContentAny_SpliceMergeAndCopyAreIndependent()
    {
        var content = new ContentAny([1L, "two", null, true]);
        var copy = (ContentAny)content.Copy();
        var right = (ContentAny)content.Splice(1);
        Assert.Equal(new object?[] { 1L }, content.Arr);
        Assert.Equal(new object?[] { "two", null, true }, right.Arr);
        Assert.Equal(4, copy.Length);
        Assert.True(content.MergeWith(right));
        Assert.Equal(4, content.Length);
        Assert.Equal(4, copy.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContentAny_RoundTrips(bool v2)
    {
        var values = new List<object?> { 1L, 2.5, "s", null, Undefined.Value, new byte[] { 1 }, new Dictionary<string, object?> { ["k"] = new List<object?> { false } } };
        var read = (ContentAny)RoundTrip(new ContentAny(values), v2);
        Assert.True(Lib0Any.DeepEquals(values, read.Arr.ToList()));
        var tail = (ContentAny)RoundTrip(new ContentAny(values), v2, offset: 5);
        Assert.Equal(2, tail.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContentJson_WritesJsonTextAndUndefinedAsItsName(bool v2)
    {
        var values = new List<object?> { Undefined.Value, null, 1.5, new Dictionary<string, object?> { ["a"] = "b" } };
        IUpdateEncoder encoder = v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();
        new ContentJson(values).Write(encoder, 0);
        var bytes = encoder.ToArray();
        if (!v2)
        {
            // len 4, then "undefined", "null", "1.5", {"a":"b"} as var strings.
            Assert.Equal("0409756e646566696e6564046e756c6c03312e35097b2261223a2262227d", Convert.ToHexStringLower(bytes));
        }
        IUpdateDecoder decoder = v2 ? new UpdateDecoderV2(bytes) : new UpdateDecoderV1(bytes);
        var read = (ContentJson)ContentReader.Read(decoder, 2);
        Assert.Same(Undefined.Value, read.Arr[0]);
        Assert.True(Lib0Any.DeepEquals(values, read.Arr.ToList()));
    }

    [Fact]
    public void ContentJson_InvalidJson_IsAFormatError()
    {
        var encoder = new UpdateEncoderV1();
        encoder.WriteLen(1);
        encoder.WriteString("{not json");
        Assert.Throws<UpdateFormatException>(() => ContentReader.Read(new UpdateDecoderV1(encoder.ToArray()), 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SingleTickContents_RoundTripAndRefuseToSplit(bool v2)
    {
        var binary = (ContentBinary)RoundTrip(new ContentBinary([1, 2, 3]), v2);
        Assert.Equal(new byte[] { 1, 2, 3 }, binary.Content);
        var embed = (ContentEmbed)RoundTrip(new ContentEmbed(new Dictionary<string, object?> { ["image"] = "x.png" }), v2);
        Assert.Equal("{\"image\":\"x.png\"}", Lib0Any.ToJsonString(embed.Embed));
        var format = (ContentFormat)RoundTrip(new ContentFormat("bold", true), v2);
        Assert.Equal("bold", format.Key);
        Assert.Equal(true, format.Value);
        Assert.False(format.Countable);
        Assert.Empty(format.GetContent());

        foreach (IContent content in new IContent[] { binary, embed, format })
        {
            Assert.Equal(1, content.Length);
            Assert.False(content.MergeWith(content.Copy()));
            Assert.Throws<InvalidOperationException>(() => content.Splice(1));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContentDeleted_SplitsMergesAndWritesRemainingLength(bool v2)
    {
        var content = new ContentDeleted(10);
        Assert.False(content.Countable);
        var right = (ContentDeleted)content.Splice(4);
        Assert.Equal(4, content.Len);
        Assert.Equal(6, right.Len);
        Assert.True(content.MergeWith(right));
        Assert.Equal(10, content.Len);
        Assert.Equal(7, ((ContentDeleted)RoundTrip(content, v2, offset: 3)).Len);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContentType_RoundTripsTypeRefAndName(bool v2)
    {
        var read = (ContentType)RoundTrip(new ContentType(new YXmlElement("p")), v2);
        Assert.Equal("p", Assert.IsType<YXmlElement>(read.Type).NodeName);
        Assert.IsType<YMap>(((ContentType)RoundTrip(new ContentType(new YMap()), v2)).Type);
        Assert.False(read.MergeWith(read));
    }

    [Fact]
    public void ContentDoc_SendsOnlyNonDefaultOptions()
    {
        var plain = new ContentDoc(new Doc(new DocOptions { Guid = "g1" }));
        Assert.Empty(plain.Opts);
        var special = new ContentDoc(new Doc(new DocOptions { Guid = "g2", Gc = false, AutoLoad = true, Meta = "m" }));
        Assert.Equal(["gc", "autoLoad", "meta"], special.Opts.Keys);

        var encoder = new UpdateEncoderV1();
        special.Write(encoder, 0);
        // guid "g2", then any object {gc:false, autoLoad:true, meta:"m"}.
        // guid "g2", then any object {gc:false, autoLoad:true, meta:"m"}; bytes checked against yjs's ContentDoc.write.
        Assert.Equal("026732760302676379086175746f4c6f616478046d65746177016d", Convert.ToHexStringLower(encoder.ToArray()));
    }

    [Fact]
    public void ContentDoc_Read_CreatesAnUnloadedDocUnlessAutoLoad()
    {
        var read = (ContentDoc)RoundTrip(new ContentDoc(new Doc(new DocOptions { Guid = "g", Gc = false })), v2: false);
        Assert.Equal("g", read.Doc.Guid);
        Assert.False(read.Doc.Gc);
        Assert.False(read.Doc.ShouldLoad);
        var autoLoaded = (ContentDoc)RoundTrip(new ContentDoc(new Doc(new DocOptions { Guid = "h", AutoLoad = true })), v2: true);
        Assert.True(autoLoaded.Doc.AutoLoad);
        Assert.True(autoLoaded.Doc.ShouldLoad);
    }

    [Fact]
    public void ContentDoc_NullOptions_IsAFormatError()
    {
        var encoder = new UpdateEncoderV1();
        encoder.WriteString("guid");
        encoder.WriteAny(null);
        Assert.Throws<UpdateFormatException>(() => ContentReader.Read(new UpdateDecoderV1(encoder.ToArray()), 9));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(31)]
    public void ContentReader_UnknownRef_IsAFormatError(int contentRef)
    {
        Assert.Throws<UpdateFormatException>(() => ContentReader.Read(new UpdateDecoderV1(new byte[] { 1, 1, 1 }), contentRef));
    }
}
