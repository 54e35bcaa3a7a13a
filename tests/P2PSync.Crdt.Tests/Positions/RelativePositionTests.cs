using P2PSync.Crdt.Core;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Support.DocSync;

namespace P2PSync.Crdt.Tests.Positions;

public sealed class RelativePositionTests
{
    private static Doc NewDoc(ulong clientId, bool gc = true) => new(new DocOptions { ClientId = clientId, Gc = gc });

    private static int Resolve(RelativePosition rpos, Doc doc)
    {
        var abs = Y.CreateAbsolutePositionFromRelativePosition(rpos, doc);
        Assert.NotNull(abs);
        return abs.Index;
    }

    [Fact]
    public void PositionFollowsItsCharacterThroughConcurrentEditsBeforeAndAfterIt()
    {
        var a = NewDoc(1);
        var b = NewDoc(2);
        a.GetText("t").Insert(0, "abcdef");
        Sync(a, b);
        var atD = Y.CreateRelativePositionFromTypeIndex(a.GetText("t"), 3);
        var afterC = Y.CreateRelativePositionFromTypeIndex(a.GetText("t"), 3, assoc: -1);

        // concurrent: a inserts before and after, b deletes before and inserts after
        a.GetText("t").Insert(0, "12");
        a.GetText("t").Insert(8, "xyz");
        b.GetText("t").Delete(0, 2);
        b.GetText("t").Insert(4, "!!");
        Sync(a, b);

        var text = a.GetText("t").ToString();
        Assert.Equal(text, b.GetText("t").ToString());
        Assert.Equal(text.IndexOf('d'), Resolve(atD, a));
        Assert.Equal(text.IndexOf('d'), Resolve(atD, b));
        Assert.Equal(text.IndexOf('c') + 1, Resolve(afterC, a));
        Assert.Equal(text.IndexOf('c') + 1, Resolve(afterC, b));
    }

    [Fact]
    public void InsertAtThePositionGoesBeforeARightAssociatedPositionAndAfterALeftAssociatedOne()
    {
        var doc = NewDoc(1);
        var text = doc.GetText("t");
        text.Insert(0, "abcdef");
        var right = Y.CreateRelativePositionFromTypeIndex(text, 3, assoc: 0);
        var left = Y.CreateRelativePositionFromTypeIndex(text, 3, assoc: -1);

        text.Insert(3, "ZZ");

        Assert.Equal("abcZZdef", text.ToString());
        Assert.Equal(5, Resolve(right, doc));
        Assert.Equal(3, Resolve(left, doc));
    }

    [Fact]
    public void PositionAtDeletedCharacterCollapsesToWhereItWas()
    {
        var doc = NewDoc(1);
        var text = doc.GetText("t");
        text.Insert(0, "abcdef");
        var atD = Y.CreateRelativePositionFromTypeIndex(text, 3);

        text.Delete(2, 2);

        Assert.Equal("abef", text.ToString());
        Assert.Equal(2, Resolve(atD, doc));
    }

    [Fact]
    public void EndAndStartPositionsStayAtTheEnds()
    {
        var doc = NewDoc(1);
        var text = doc.GetText("t");
        text.Insert(0, "abc");
        var end = Y.CreateRelativePositionFromTypeIndex(text, 3);
        var start = Y.CreateRelativePositionFromTypeIndex(text, 0, assoc: -1);
        Assert.Equal("t", end.TName);
        Assert.Null(end.Item);
        Assert.Null(start.Item);

        text.Insert(3, "def");
        text.Insert(0, "012");

        Assert.Equal(9, Resolve(end, doc));
        Assert.Equal(0, Resolve(start, doc));
    }

    [Fact]
    public void IndexPastTheEndGivesTheEndPosition()
    {
        var doc = NewDoc(1);
        var text = doc.GetText("t");
        text.Insert(0, "abc");

        var right = Y.CreateRelativePositionFromTypeIndex(text, 10);
        var left = Y.CreateRelativePositionFromTypeIndex(text, 10, assoc: -1);

        Assert.Null(right.Item);
        Assert.Equal(new ID(1, 2), left.Item);
        Assert.Equal(3, Resolve(right, doc));
        Assert.Equal(3, Resolve(left, doc));
    }

    [Fact]
    public void ArrayPositionsSkipUncountableAndDeletedContent()
    {
        var doc = NewDoc(1);
        var array = doc.GetArray("a");
        array.Insert(0, new object?[] { 1L, 2L, 3L, 4L });
        array.Delete(1, 1);
        var atThree = Y.CreateRelativePositionFromTypeIndex(array, 1);

        Assert.Equal(new ID(1, 2), atThree.Item);
        array.Insert(0, new object?[] { "x" });
        Assert.Equal(2, Resolve(atThree, doc));
    }

    [Fact]
    public void PositionInNestedTypeUsesTheTypeIdAndResolvesToZeroOnceTheTypeIsDeleted()
    {
        var a = NewDoc(1, gc: false);
        var b = NewDoc(2, gc: false);
        var nested = a.GetMap("m").Set("n", new YText());
        nested.Insert(0, "hello");
        Sync(a, b);
        var nestedInB = (YText)b.GetMap("m").Get("n")!;
        var end = Y.CreateRelativePositionFromTypeIndex(nestedInB, 5);
        var mid = Y.CreateRelativePositionFromTypeIndex(nestedInB, 2);
        Assert.Equal(nested.Item!.Id, end.Type);
        Assert.Equal(nested.Item!.Id, mid.Type);

        var endAbs = Y.CreateAbsolutePositionFromRelativePosition(end, a);
        Assert.NotNull(endAbs);
        Assert.Same(nested, endAbs.Type);
        Assert.Equal(5, endAbs.Index);

        a.GetMap("m").Delete("n");
        var midAbs = Y.CreateAbsolutePositionFromRelativePosition(mid, a);
        Assert.NotNull(midAbs);
        Assert.Same(nested, midAbs.Type);
        Assert.Equal(0, midAbs.Index);
    }

    [Fact]
    public void GarbageCollectedNestedTypeResolvesToNull()
    {
        var doc = NewDoc(1, gc: true);
        var nested = doc.GetMap("m").Set("n", new YArray());
        nested.Push(new object?[] { 1L, 2L });
        var end = Y.CreateRelativePositionFromTypeIndex(nested, 2);
        var atOne = Y.CreateRelativePositionFromTypeIndex(nested, 0);

        doc.GetMap("m").Delete("n");

        Assert.Null(Y.CreateAbsolutePositionFromRelativePosition(end, doc));
        Assert.Null(Y.CreateAbsolutePositionFromRelativePosition(atOne, doc));
    }

    [Fact]
    public void PositionIntoContentTheDocDoesNotHaveResolvesToNull()
    {
        var a = NewDoc(1);
        var b = NewDoc(2);
        var nested = a.GetMap("m").Set("n", new YText());
        nested.Insert(0, "abc");

        Assert.Null(Y.CreateAbsolutePositionFromRelativePosition(Y.CreateRelativePositionFromTypeIndex(nested, 1), b));
        Assert.Null(Y.CreateAbsolutePositionFromRelativePosition(Y.CreateRelativePositionFromTypeIndex(nested, 3), b));
    }

    [Fact]
    public void PositionInUnknownRootTypeResolvesAgainstAnEmptyRootOfThatName()
    {
        var doc = NewDoc(1);
        var rpos = new RelativePosition(null, "fresh", null, 0);

        var abs = Y.CreateAbsolutePositionFromRelativePosition(rpos, doc);

        // As in Yjs, the root is created as an untyped placeholder that a later typed Get replaces.
        Assert.NotNull(abs);
        Assert.Equal(0, abs.Index);
        Assert.Same(doc, abs.Type.Doc);
        Assert.Equal("", doc.GetText("fresh").ToString());
    }

    [Fact]
    public void FollowsTheRedoneChainOnlyWhenAsked()
    {
        // An undo manager re-inserts deleted content as new items and links the old ones to them;
        // this builds such a link by hand: "hello" is deleted and re-created after "XY".
        var doc = NewDoc(1, gc: false);
        var text = doc.GetText("t");
        text.Insert(0, "hello");
        var atFirstL = Y.CreateRelativePositionFromTypeIndex(text, 2);
        text.Delete(0, 5);
        text.Insert(0, "XYhello");
        var original = (Item)StructStore.Find(doc.Store, new ID(1, 0));
        original.Redone = new ID(1, 7);

        var followed = Y.CreateAbsolutePositionFromRelativePosition(atFirstL, doc, followUndoneDeletions: true);
        var notFollowed = Y.CreateAbsolutePositionFromRelativePosition(atFirstL, doc, followUndoneDeletions: false);

        Assert.NotNull(followed);
        Assert.NotNull(notFollowed);
        Assert.Equal(4, followed.Index);
        Assert.Equal(0, notFollowed.Index);
    }

    [Fact]
    public void RequiresATypeThatIsPartOfADocument()
    {
        Assert.Throws<InvalidOperationException>(() => Y.CreateRelativePositionFromTypeIndex(new YText(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Y.CreateRelativePositionFromTypeIndex(NewDoc(1).GetText("t"), -1));
    }

    [Fact]
    public void PositionsOnAllReplicasAgreeAfterRandomConcurrentEdits()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var random = new Random(seed);
            var docs = new[] { NewDoc(1), NewDoc(2), NewDoc(3) };
            docs[0].GetText("t").Insert(0, "the quick brown fox");
            Sync(docs[0], docs[1]);
            Sync(docs[0], docs[2]);
            var positions = new List<RelativePosition>();
            for (var i = 0; i <= docs[0].GetText("t").Length; i++)
            {
                positions.Add(Y.CreateRelativePositionFromTypeIndex(docs[0].GetText("t"), i, random.Next(2) == 0 ? 0 : -1));
            }

            for (var round = 0; round < 20; round++)
            {
                var text = docs[random.Next(docs.Length)].GetText("t");
                if (text.Length > 0 && random.Next(3) == 0)
                {
                    var index = random.Next(text.Length);
                    text.Delete(index, Math.Min(text.Length - index, 1 + random.Next(3)));
                }
                else
                {
                    text.Insert(random.Next(text.Length + 1), new string((char)('A' + random.Next(26)), 1 + random.Next(3)));
                }
            }
            SyncAll(docs);

            foreach (var rpos in positions)
            {
                var indexes = docs.Select(d => Resolve(rpos, d)).ToArray();
                Assert.True(indexes.All(i => i == indexes[0]), $"seed {seed}: {rpos} resolves to {string.Join(",", indexes)}");
                var text = docs[0].GetText("t");
                if (rpos.Item is { } anchor && !((Item)StructStore.Find(docs[0].Store, anchor)).Deleted)
                {
                    // The anchor still exists, so the index must be right before it (or after it, for assoc < 0).
                    var again = Y.CreateRelativePositionFromTypeIndex(text, indexes[0], rpos.Assoc);
                    Assert.True(again.Item == anchor, $"seed {seed}: {rpos} resolved to {indexes[0]}, which is {again}");
                }
            }
        }
    }
}
