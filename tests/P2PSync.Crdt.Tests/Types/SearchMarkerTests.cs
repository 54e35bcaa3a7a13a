using System.Text;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>
/// Search markers are a cache of (item, index) pairs; after every operation each marker must
/// still point at the index its item really has, there are never more than the limit, and
/// results must equal a plain list model.
/// </summary>
public sealed class SearchMarkerTests
{
    private static void AssertMarkersConsistent(AbstractType type)
    {
        var markers = type.SearchMarker;
        if (markers is null)
        {
            return;
        }
        Assert.True(markers.Count <= AbstractType.MaxSearchMarker);
        foreach (var m in markers)
        {
            int index = 0;
            var n = type.Start;
            while (n is not null && n != m.P)
            {
                if (!n.Deleted && n.Countable)
                {
                    index += n.Length;
                }
                n = n.Right;
            }
            Assert.Same(m.P, n);
            // (Item.Marker is only a hint in Yjs: merges and shared markers leave it stale.)
            Assert.Equal(index, m.Index);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ArrayOperationsAgreeWithAListModel(int seed)
    {
        var random = new Random(seed);
        var doc = Create(1);
        var a = doc.GetArray("a");
        var model = new List<object?>();
        long next = 0;
        for (int step = 0; step < 3000; step++)
        {
            int op = random.Next(10);
            if (op < 5 || model.Count == 0)
            {
                int index = random.Next(model.Count + 1);
                var content = new List<object?>();
                int n = 1 + random.Next(4);
                for (int k = 0; k < n; k++)
                {
                    content.Add(next++);
                }
                a.Insert(index, content);
                model.InsertRange(index, content);
            }
            else if (op < 8)
            {
                int index = random.Next(model.Count);
                int len = 1 + random.Next(Math.Min(5, model.Count - index));
                a.Delete(index, len);
                model.RemoveRange(index, len);
            }
            else
            {
                int index = random.Next(model.Count);
                Assert.Equal(model[index], a.Get(index));
            }
            if (step % 16 == 0)
            {
                AssertMarkersConsistent(a);
            }
        }
        AssertMarkersConsistent(a);
        Assert.Equal(model, a.ToArray());
        Assert.NotEmpty(a.SearchMarker!);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public void TextOperationsAgreeWithAStringModel(int seed)
    {
        var random = new Random(seed);
        var doc = Create(1);
        var t = doc.GetText("t");
        var model = new StringBuilder();
        for (int step = 0; step < 3000; step++)
        {
            if (random.Next(3) < 2 || model.Length == 0)
            {
                int index = random.Next(model.Length + 1);
                string s = new string((char)('a' + random.Next(26)), 1 + random.Next(3));
                t.Insert(index, s);
                model.Insert(index, s);
            }
            else
            {
                int index = random.Next(model.Length);
                int len = 1 + random.Next(Math.Min(4, model.Length - index));
                t.Delete(index, len);
                model.Remove(index, len);
            }
            if (step % 16 == 0)
            {
                AssertMarkersConsistent(t);
            }
        }
        AssertMarkersConsistent(t);
        Assert.Equal(model.ToString(), t.ToString());
        Assert.Equal(model.Length, t.Length);
    }

    [Fact]
    public void FormattingSwitchesMarkersOff()
    {
        var doc = Create(1);
        var t = doc.GetText("t");
        t.Insert(0, "abcdef");
        t.Insert(3, "x");
        Assert.NotNull(t.SearchMarker);
        t.Format(1, 2, Attrs(("b", true)));
        Assert.Null(t.SearchMarker);
        t.Insert(5, "y");
        Assert.Equal("abcxdyef", t.ToString());
    }

    [Fact]
    public void DeletingPastTheEndOfAnArrayThrowsAndKeepsEverything()
    {
        // Yjs deletes what exists and then throws; we refuse the whole range up front.
        var doc = Create(1);
        var a = doc.GetArray("a");
        a.Insert(0, new object?[] { 1L, 2L, 3L });
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Delete(1, 5));
        Assert.Equal(new object?[] { 1L, 2L, 3L }, a.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Insert(5, new object?[] { 4L }));
    }
}
