using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Support.DocSync;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>YMap behaviour; expected values were captured from yjs 13.6.33 running the same operations.</summary>
public sealed class YMapTests
{
    [Fact]
    public void ConcurrentSetsEventsAndJsonKeyOrderMatchYjs()
    {
        var d1 = Create(1);
        var d2 = Create(2);
        var m1 = d1.GetMap("m");
        var m2 = d2.GetMap("m");
        var ev = new List<string>();
        m2.Observe((e, _) =>
        {
            var me = Assert.IsType<YMapEvent>(e);
            ev.Add($"{TypeTestJson.Value(me.KeysChanged.Cast<object?>().ToList())} {TypeTestKeys.Json(e.Keys)}");
        });

        m1.Set("b", 1L);
        m1.Set("10", "ten");
        m1.Set("a", new List<object?> { 1L, 2L });
        m1.Set<object?>("2", null);
        Sync(d1, d2);
        m1.Set("b", "one");
        m2.Set("b", "two");
        m2.Delete("a");
        m1.Set("c", new YText("hi"));
        Sync(d1, d2);
        d1.Transact(_ =>
        {
            m1.Set("n", 1L);
            m1.Delete("n");
            m1.Set("10", "TEN");
        });
        Sync(d1, d2);

        const string json = """{"2":null,"10":"TEN","b":"two","c":"hi"}""";
        Assert.Equal(json, TypeTestJson.Value(m1.ToJson()));
        Assert.Equal(json, TypeTestJson.Value(m2.ToJson()));
        Assert.Equal(4, m2.Count);
        Assert.Equal(new[] { "b", "10", "2", "c" }, m2.Keys);
        Assert.Equal(
            new[]
            {
                """["b","10","a","2"] [["b",{"action":"add"}],["10",{"action":"add"}],["a",{"action":"add"}],["2",{"action":"add"}]]""",
                """["b"] [["b",{"action":"update","oldValue":1}]]""",
                """["a"] [["a",{"action":"delete","oldValue":[1,2]}]]""",
                """["b","c"] [["c",{"action":"add"}]]""",
                """["n","10"] [["10",{"action":"update","oldValue":"ten"}]]""",
            },
            ev);
        Assert.Equal(
            "AgECAKgBAAF3A3R3bwkBACEBAW0BYgEhAQFtAjEwASEBAW0BYQEoAQFtATIBfqEBAAEnAQFtAWMCBAABBQJoaSEBAW0BbgGoAQEBdwNURU4BAQMAAwQBCAE=",
            Convert.ToBase64String(Y.EncodeStateAsUpdate(d2)));
    }

    [Fact]
    public void GetHasDeleteAndMissingKeysReadAsUndefined()
    {
        var doc = Create(1);
        var m = doc.GetMap("m");
        Assert.Same(Undefined.Value, m.Get("nope"));
        Assert.False(m.TryGet("nope", out _));
        m.Set("k", null);
        Assert.True(m.Has("k"));
        Assert.Null(m.Get("k"));
        Assert.True(m.TryGet("k", out var v));
        Assert.Null(v);
        m.Set("k", Undefined.Value);
        Assert.Same(Undefined.Value, m.Get("k"));
        Assert.True(m.Has("k"));
        m.Delete("k");
        Assert.False(m.Has("k"));
        Assert.Equal(0, m.Count);
        Assert.Throws<ArgumentException>(() => m.Set("bad", new object()));
    }

    [Fact]
    public void PreliminaryContentIsSetOnIntegrationAndClonesAreDeep()
    {
        var doc = Create(1);
        var root = doc.GetMap("root");
        var inner = new YMap(new[] { new KeyValuePair<string, object?>("x", 1L) });
        inner.Set("list", YArray.From(new object?[] { "a", "b" }));
        inner.Delete("x");
        inner.Set("y", 2L);
        Assert.Equal(0, inner.Count);
        root.Set("inner", inner);
        Assert.Equal("""{"list":["a","b"],"y":2}""", TypeTestJson.Value(inner.ToJson()));

        var copy = (YMap)inner.Clone();
        root.Set("copy", copy);
        Assert.Equal("""{"list":["a","b"],"y":2}""", TypeTestJson.Value(copy.ToJson()));
        Assert.NotSame(inner.Get("list"), copy.Get("list"));
        copy.Clear();
        Assert.Equal("""{"inner":{"list":["a","b"],"y":2},"copy":{}}""", TypeTestJson.Value(root.ToJson()));
    }
}
