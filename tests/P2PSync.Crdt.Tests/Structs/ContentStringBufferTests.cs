using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Tests.Structs;

/// <summary>
/// ContentString keeps merged text in a growable buffer; these check that every operation
/// sees the same text whether it is held as a string or as a buffer.
/// </summary>
public sealed class ContentStringBufferTests
{
    private static ContentString Merged(params string[] parts)
    {
        var content = new ContentString(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            Assert.True(content.MergeWith(new ContentString(part)));
        }
        return content;
    }

    [Fact]
    public void ManyMerges_KeepTheTextAndLength()
    {
        var expected = new System.Text.StringBuilder("x");
        var content = new ContentString("x");
        for (var i = 0; i < 1000; i++)
        {
            var part = ((char)('a' + (i % 26))).ToString();
            content.MergeWith(new ContentString(part));
            expected.Append(part);
            Assert.Equal(expected.Length, content.Length);
        }
        Assert.Equal(expected.ToString(), content.Span.ToString());
        Assert.Equal(expected.ToString(), content.Str);
    }

    [Fact]
    public void MergingAfterReading_AppendsToTheMaterialisedText()
    {
        var content = Merged("ab", "cd");
        Assert.Equal("abcd", content.Str);
        Assert.Same(content.Str, content.Str);
        content.MergeWith(new ContentString("ef"));
        Assert.Equal("abcdef", content.Str);
    }

    [Fact]
    public void SplittingABuffer_LeavesBothHalvesIndependent()
    {
        var content = Merged("hello", " ", "world");
        var right = (ContentString)content.Splice(5);
        Assert.Equal("hello", content.Str);
        Assert.Equal(" world", right.Str);
        Assert.Equal(5, content.Length);

        // The left half keeps growing in place without touching the right half.
        var left = Merged("hello", " ", "world");
        var tail = (ContentString)left.Splice(3);
        left.MergeWith(new ContentString("p!"));
        Assert.Equal("help!", left.Str);
        Assert.Equal("lo world", tail.Str);
    }

    [Fact]
    public void SplittingASurrogatePairInABuffer_ReplacesBothHalvesLikeAString()
    {
        var fromString = new ContentString("a😀b");
        var fromBuffer = Merged("a", "😀", "b");
        var rightOfString = (ContentString)fromString.Splice(2);
        var rightOfBuffer = (ContentString)fromBuffer.Splice(2);
        Assert.Equal("a\ufffd", fromBuffer.Str);
        Assert.Equal("\ufffdb", rightOfBuffer.Str);
        Assert.Equal(fromString.Str, fromBuffer.Str);
        Assert.Equal(rightOfString.Str, rightOfBuffer.Str);
        Assert.Equal(2, fromBuffer.Length);
    }

    [Fact]
    public void SplittingAfterAHighSurrogateAtTheEnd_GivesAReplacementCharacterOnTheRight()
    {
        var content = Merged("a", "\ud83d");
        var right = (ContentString)content.Splice(2);
        Assert.Equal("a\ufffd", content.Str);
        Assert.Equal("\ufffd", right.Str);
    }

    [Fact]
    public void Copy_OfABuffer_IsNotAffectedByLaterMerges()
    {
        var content = Merged("ab", "c");
        var copy = (ContentString)content.Copy();
        content.MergeWith(new ContentString("d"));
        Assert.Equal("abc", copy.Str);
        Assert.Equal("abcd", content.Str);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_FromABufferWithOffset_WritesTheTail(bool v2)
    {
        var content = Merged("hel", "lo", "!");
        IUpdateEncoder encoder = v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();
        content.Write(encoder, 3);
        var bytes = encoder.ToArray();
        IUpdateDecoder decoder = v2 ? new UpdateDecoderV2(bytes) : new UpdateDecoderV1(bytes);
        Assert.Equal("lo!", ((ContentString)ContentReader.Read(decoder, content.Ref)).Str);
    }

    [Fact]
    public void TypingOneCharacterPerTransaction_DoesNotCopyTheRunAtEveryKeystroke()
    {
        // 100k single-character transactions merge into one item. Concatenating strings per merge
        // allocates about n^2 bytes (10 GB here); the buffer allocates amortised O(1) per merge.
        // Allocation is measured instead of time so the test does not depend on machine load.
        const int n = 100_000;
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var text = doc.GetText("text");
        var before = System.GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            text.Insert(i, "a");
        }
        var allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(new string('a', n), text.ToString());
        Assert.True(allocated < 1_000_000_000, $"allocated {allocated:N0} bytes");
    }
}
