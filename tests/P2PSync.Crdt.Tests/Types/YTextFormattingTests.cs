using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Support.DocSync;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>
/// Rich-text editing on one document. Expected deltas and encoded states were produced by
/// running the same operations against yjs 13.6.33 (tests/oracle) with clientID 1.
/// </summary>
public sealed class YTextFormattingTests
{
    [Fact]
    public void MixedEditsProduceYjsDeltasEventsAndBytes()
    {
        var doc = Create(1);
        var t = doc.GetText("t");
        var events = new List<string>();
        t.Observe((e, _) => events.Add(TypeTestJson.Delta(e.Delta)));

        t.Insert(0, "hello world");
        t.Format(0, 5, Attrs(("bold", true)));
        t.Insert(5, "!", new Dictionary<string, object?>());
        t.Insert(3, "X");
        t.Format(2, 6, Attrs(("italic", true), ("bold", null)));
        t.Delete(1, 3);
        t.InsertEmbed(2, Attrs(("image", "a.png")), Attrs(("width", 10L)));

        Assert.Equal(
            """[{"insert":"h","attributes":{"bold":true}},{"insert":"l","attributes":{"italic":true}},{"insert":{"image":"a.png"},"attributes":{"width":10}},{"insert":"o! ","attributes":{"italic":true}},{"insert":"world"}]""",
            TypeTestJson.Delta(t.ToDelta()));
        Assert.Equal(
            new[]
            {
                """[{"insert":"hello world"}]""",
                """[{"retain":5,"attributes":{"bold":true}}]""",
                """[{"retain":5},{"insert":"!"}]""",
                """[{"retain":3},{"insert":"X","attributes":{"bold":true}}]""",
                """[{"retain":2},{"retain":6,"attributes":{"italic":true,"bold":null}},{"retain":5,"attributes":{"bold":null}}]""",
                """[{"retain":1},{"delete":3}]""",
                """[{"retain":2},{"insert":{"image":"a.png"},"attributes":{"width":10}}]""",
            },
            events);

        t.ApplyDelta(new[]
        {
            DeltaOp.RetainOp(2),
            DeltaOp.InsertOp("AB", Attrs(("u", 1L))),
            DeltaOp.DeleteOp(1),
            DeltaOp.RetainOp(3, Attrs(("bold", true))),
        });
        Assert.Equal(
            """[{"insert":"h","attributes":{"bold":true}},{"insert":"l","attributes":{"italic":true}},{"insert":"AB","attributes":{"u":1}},{"insert":"o! ","attributes":{"italic":true,"bold":true}},{"insert":"world"}]""",
            TypeTestJson.Delta(t.ToDelta()));
        Assert.Equal(
            """[{"retain":2},{"insert":"AB","attributes":{"u":1}},{"delete":1},{"retain":3,"attributes":{"width":null,"italic":true,"bold":true}},{"retain":5,"attributes":{"width":null}}]""",
            events[^1]);
        Assert.Equal("hlABo! world", t.ToString());
        Assert.Equal(12, t.Length);
        Assert.Equal(
            "ARYBAAQBAXQBaIEBAAGBAQEBhAECAWyEAQMBb4QBBAEghAEFBXdvcmxkRgEABGJvbGQEdHJ1ZcEBBAEFAcQBDAEFASHBAQIBAwHGAQEBAgZpdGFsaWMEdHJ1ZcYBDwECBGJvbGQEbnVsbMYBBQEGBml0YWxpYwRudWxswQEDAQQFxgEDARIBdQExxgEXARIGaXRhbGljBG51bGzEARgBEgJBQsYBGgESAXUEbnVsbMYBGwESBml0YWxpYwR0cnVlxgEWAQQEYm9sZAR0cnVlxgERAQYEYm9sZARudWxsAQEEAQIMAQ4BEgU=",
            Convert.ToBase64String(Y.EncodeStateAsUpdate(doc)));
    }

    [Fact]
    public void ConcurrentFormattingConvergesLikeYjsAndCleansUpFormats()
    {
        var d1 = Create(1);
        var d2 = Create(2);
        var t1 = d1.GetText("t");
        var t2 = d2.GetText("t");
        t1.Insert(0, "abcdefghij");
        Sync(d1, d2);
        var events = new List<string>();
        t2.Observe((e, _) => events.Add("t2 " + TypeTestJson.Delta(e.Delta)));
        t1.Observe((e, _) => events.Add("t1 " + TypeTestJson.Delta(e.Delta)));

        t1.Format(1, 5, Attrs(("bold", true)));
        t2.Format(3, 5, Attrs(("bold", true)));
        t2.Format(0, 2, Attrs(("italic", "x")));
        t1.Delete(4, 2);
        t2.Insert(6, "ZZ", Attrs(("bold", true)));
        Sync(d1, d2);

        Assert.Equal(
            new[]
            {
                """t1 [{"retain":1},{"retain":5,"attributes":{"bold":true}}]""",
                """t2 [{"retain":3},{"retain":5,"attributes":{"bold":true}}]""",
                """t2 [{"retain":2,"attributes":{"italic":"x"}}]""",
                """t1 [{"retain":4},{"delete":2}]""",
                """t2 [{"retain":6},{"insert":"ZZ","attributes":{"bold":true}}]""",
                """t2 [{"retain":1},{"retain":3,"attributes":{"bold":true}},{"delete":2},{"retain":6,"attributes":{"bold":null}}]""",
                "t2 []",
                """t1 [{"retain":2,"attributes":{"italic":"x"}},{"retain":2},{"insert":"ZZ"}]""",
            },
            events);
        const string expectedDelta = """[{"insert":"a","attributes":{"italic":"x"}},{"insert":"b","attributes":{"italic":"x","bold":true}},{"insert":"cd","attributes":{"bold":true}},{"insert":"ZZgh"},{"insert":"ij"}]""";
        Assert.Equal(expectedDelta, TypeTestJson.Delta(t1.ToDelta()));
        Assert.Equal(expectedDelta, TypeTestJson.Delta(t2.ToDelta()));
        const string expectedState = "AgUCAMEBAgEDAcYBBwEIBGJvbGQEbnVsbEYBAAZpdGFsaWMDIngixgEBAQIGaXRhbGljBG51bGzEAQUBBgJaWgkBAAQBAXQBYYQBAAFihAEBAWOEAQIBZIEBAwKEAQUCZ2iEAQcCaWrGAQABAQRib2xkBHRydWXGAQUBBgRib2xkBG51bGwCAgEAAQEBBAI=";
        Assert.Equal(expectedState, Convert.ToBase64String(Y.EncodeStateAsUpdate(d1)));
        Assert.Equal(expectedState, Convert.ToBase64String(Y.EncodeStateAsUpdate(d2)));
    }
}
