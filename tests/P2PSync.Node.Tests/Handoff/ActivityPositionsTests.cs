using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Handoff;

namespace P2PSync.Node.Tests.Handoff;

public sealed class ActivityPositionsTests
{
    [Fact]
    public void Index_round_trips_and_follows_edits_before_it()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.GetText("text").Insert(0, "hello world");
        var position = ActivityPositions.FromIndex(doc, 6);
        Assert.Equal(6, ActivityPositions.ToIndex(doc, position));

        doc.GetText("text").Insert(0, ">> ");
        Assert.Equal(9, ActivityPositions.ToIndex(doc, position));
        Assert.Equal('w', doc.GetText("text").ToString()[9]);
        doc.GetText("text").Insert(12, "!!");
        Assert.Equal(9, ActivityPositions.ToIndex(doc, position));
    }

    [Fact]
    public void Resolves_in_another_doc_once_it_has_the_content()
    {
        var source = new Doc(new DocOptions { ClientId = 1 });
        source.GetText("text").Insert(0, "abcdef");
        var position = ActivityPositions.FromIndex(source, 4);
        var target = new Doc(new DocOptions { ClientId = 2 });
        Assert.Null(ActivityPositions.ToIndex(target, position));

        // Filled by a remote update, the root is an untyped placeholder until someone asks for a text.
        Y.ApplyUpdate(target, Y.EncodeStateAsUpdate(source));
        Assert.Equal(4, ActivityPositions.ToIndex(target, position));
        // A position made in an empty text names the root type and sticks to its end.
        Assert.Equal(6, ActivityPositions.ToIndex(target, ActivityPositions.FromIndex(new Doc(), 0)));
    }

    [Fact]
    public void End_of_text_and_empty_text_positions()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var empty = ActivityPositions.FromIndex(doc, 0);
        doc.GetText("text").Insert(0, "abc");
        var end = ActivityPositions.FromIndex(doc, 3);
        Assert.Equal(3, ActivityPositions.ToIndex(doc, end));
        // A position in a text that was empty sticks to the type's end.
        Assert.Equal(3, ActivityPositions.ToIndex(doc, empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivityPositions.FromIndex(doc, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivityPositions.FromIndex(doc, -1));
    }

    [Fact]
    public void Positions_that_cannot_be_resolved_are_null_never_an_exception()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.GetText("text").Insert(0, "abc");
        var other = doc.GetText("other");
        other.Insert(0, "xyz");
        var inOther = Y.EncodeRelativePosition(Y.CreateRelativePositionFromTypeIndex(other, 1));
        Assert.Null(ActivityPositions.ToIndex(doc, inOther));
        Assert.Null(ActivityPositions.ToIndex(doc, []));
        Assert.Null(ActivityPositions.ToIndex(doc, new byte[ActivityLimits.MaxPositionBytes + 1]));

        var mapDoc = new Doc(new DocOptions { ClientId = 3 });
        mapDoc.GetMap("text").Set("k", "v");
        Assert.Null(ActivityPositions.ToIndex(mapDoc, ActivityPositions.FromIndex(doc, 1)));
        Assert.Throws<InvalidOperationException>(() => ActivityPositions.FromIndex(mapDoc, 0));

        const int seed = 99;
        var random = new Random(seed);
        var valid = ActivityPositions.FromIndex(doc, 2);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = valid.ToArray();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(3) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            try
            {
                var index = ActivityPositions.ToIndex(doc, bytes);
                Assert.True(index is null or >= 0 and <= 3, $"seed {seed} iteration {i}: index {index}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i} ({Convert.ToHexString(bytes)}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.Equal("abc", doc.GetText("text").ToString());
    }
}
