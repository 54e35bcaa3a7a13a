using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>YText API surface: queued edits before integration, embeds, type attributes, ApplyDelta.</summary>
public sealed class YTextApiTests
{
    [Fact]
    public void QueuedEditsEmbedsAttributesAndDeltasMatchYjs()
    {
        // Expected values captured from yjs 13.6.33 with clientID 5.
        var doc = Create(5);
        var arr = doc.GetArray("a");
        var t = new YText("abc");
        t.Format(1, 1, Attrs(("b", true)));
        t.Insert(3, "d", Attrs(("i", 1L)));
        t.SetAttribute("lang", "en");
        arr.Push(new object?[] { t });
        Assert.Equal("""[{"insert":"a"},{"insert":"b","attributes":{"b":true}},{"insert":"c"},{"insert":"d","attributes":{"i":1}}]""", TypeTestJson.Delta(t.ToDelta()));
        Assert.Equal("""{"lang":"en"}""", TypeTestJson.Value(t.GetAttributes()));

        var ev = new List<string>();
        t.Observe((e, _) =>
        {
            var te = Assert.IsType<YTextEvent>(e);
            ev.Add($"{TypeTestJson.Delta(te.Delta)} [{string.Join(",", te.KeysChanged)}] {TypeTestKeys.Json(te.Keys)} {te.ChildListChanged}");
        });
        var m = new YMap();
        m.Set("x", 1L);
        doc.Transact(_ =>
        {
            t.InsertEmbed(1, m, Attrs(("w", 2L)));
            t.SetAttribute("lang", "de");
            t.RemoveAttribute("nope");
        });
        t.ApplyDelta(new[] { DeltaOp.RetainOp(5), DeltaOp.InsertOp("tail\n") }, sanitize: false);
        t.ApplyDelta(new[] { DeltaOp.InsertOp("X\n") });

        Assert.Equal(
            """[{"insert":"X\na"},{"insert":{"x":1},"attributes":{"w":2}},{"insert":"b","attributes":{"b":true}},{"insert":"c"},{"insert":"d","attributes":{"i":1}},{"insert":"tail\n"}]""",
            TypeTestJson.Delta(t.ToDelta()));
        Assert.Same(m, t.ToDelta()[1].Insert);
        Assert.Equal("X\nabcdtail\n", t.ToString());
        Assert.Equal(12, t.Length);
        Assert.Equal("de", t.GetAttribute("lang"));
        Assert.Same(Undefined.Value, t.GetAttribute("nope"));
        Assert.Equal(
            new[]
            {
                """[{"retain":1},{"insert":{"x":1},"attributes":{"w":2}}] [lang] [["lang",{"action":"update","oldValue":"en"}]] True""",
                """[{"retain":5},{"insert":"tail\n"}] [] [] True""",
                """[{"insert":"X\n"}] [] [] True""",
            },
            ev);

        var c = new YText();
        c.ApplyDelta(new[] { DeltaOp.InsertOp("q") });
        arr.Push(new object?[] { c });
        Assert.Equal("""["X\nabcdtail\n","q"]""", TypeTestJson.Value(arr.ToJson()));
        Assert.Equal(
            "ARMFAAcBAWECBAAFAAFhhAUBAWKEBQIBY8YFAQUCAWIEdHJ1ZcYFAgUDAWIEbnVsbIYFAwFpATGEBQYBZIYFBwFpBG51bGwhAAUABGxhbmcBxgUBBQQBdwEyxwUKBQQBKAAFCwF4AX0BxgULBQQBdwRudWxsqAUJAXcCZGWEBQgFdGFpbApEBQECWAqHBQACBAAFFgFxAQUBCQE=",
            Convert.ToBase64String(Y.EncodeStateAsUpdate(doc)));
    }

    [Fact]
    public void SanitizeFalseDropsTheFinalNewlineAtTheEnd()
    {
        var doc = Create(1);
        var t = doc.GetText("t");
        t.ApplyDelta(new[] { DeltaOp.InsertOp("line\n") }, sanitize: false);
        Assert.Equal("line", t.ToString());
        t.ApplyDelta(new[] { DeltaOp.RetainOp(4), DeltaOp.InsertOp("\n") });
        Assert.Equal("line\n", t.ToString());
    }

    [Fact]
    public void CloneCopiesFormattingAndClonesEmbeddedTypes()
    {
        var doc = Create(1);
        var arr = doc.GetArray("a");
        var t = new YText();
        arr.Push(new object?[] { t });
        t.Insert(0, "hello", Attrs(("b", true)));
        var inner = new YMap();
        inner.Set("k", "v");
        t.InsertEmbed(5, inner);

        var copy = (YText)t.Clone();
        arr.Push(new object?[] { copy });
        Assert.Equal(TypeTestJson.Delta(t.ToDelta()), TypeTestJson.Delta(copy.ToDelta()));
        Assert.NotSame(inner, copy.ToDelta()[1].Insert);
    }

    [Fact]
    public void DeletingFromAnEmptyTextOrPastTheEndIsHarmless()
    {
        var doc = Create(1);
        var t = doc.GetText("t");
        t.Delete(0, 3);
        t.Insert(0, "ab");
        t.Delete(1, 10);
        Assert.Equal("a", t.ToString());
        t.Insert(10, "z");
        Assert.Equal("az", t.ToString());
        t.Format(5, 2, Attrs(("b", true)));
        Assert.Equal("""[{"insert":"az"}]""", TypeTestJson.Delta(t.ToDelta()));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Insert(-1, "x"));
    }

    [Fact]
    public void SurrogatePairsCountAsTwoUnits()
    {
        var doc = Create(1);
        var t = doc.GetText("t");
        t.Insert(0, "a\U0001F600b");
        Assert.Equal(4, t.Length);
        t.Delete(1, 2);
        Assert.Equal("ab", t.ToString());
    }

    [Fact]
    public void ValuesThatCannotBeEncodedAreRefusedUpFront()
    {
        var doc = Create(1);
        var t = doc.GetText("t");
        t.Insert(0, "abc");
        var before = Y.EncodeStateAsUpdate(doc);
        Assert.Throws<ArgumentException>(() => t.Insert(1, "x", Attrs(("bad", new object()))));
        Assert.Throws<ArgumentException>(() => t.Format(0, 2, Attrs(("bad", new List<object?> { new YMap() }))));
        Assert.Throws<ArgumentException>(() => t.InsertEmbed(0, new object()));
        Assert.Throws<ArgumentException>(() => t.ApplyDelta(new[] { DeltaOp.RetainOp(1), DeltaOp.InsertOp("y", Attrs(("bad", new object()))) }));
        Assert.Equal(before, Y.EncodeStateAsUpdate(doc));

        var userAttrs = new Dictionary<string, object?> { ["size"] = 12 };
        t.Insert(3, "d", userAttrs);
        userAttrs["size"] = 99;
        Assert.Equal("""[{"insert":"abc"},{"insert":"d","attributes":{"size":12}}]""", TypeTestJson.Delta(t.ToDelta()));
    }
}
