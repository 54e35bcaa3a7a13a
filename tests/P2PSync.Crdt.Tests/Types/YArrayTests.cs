using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Support.DocSync;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>YArray behaviour; expected values were captured from yjs 13.6.33 running the same operations.</summary>
public sealed class YArrayTests
{
    [Fact]
    public void EditsEventsDeepEventsAndStateMatchYjs()
    {
        var doc = Create(1);
        var a = doc.GetArray("a");
        var ev = new List<string>();
        var deep = new List<string>();
        a.Observe((e, _) => ev.Add($"{TypeTestJson.Delta(e.Delta)} added={e.Changes.AddedCount} deleted={e.Changes.DeletedCount}"));
        a.ObserveDeep((es, _) => deep.Add(string.Join(" | ", es.Select(e => $"{TypeTestJson.Value(e.Path.ToList())} {TypeTestJson.Delta(e.Delta)} {TypeTestKeys.Json(e.Keys)}"))));

        a.Insert(0, new object?[] { 1L, "two", Attrs(("three", 3L)), new List<object?> { 4L }, null, true, 2.5 });
        a.Push(new object?[] { new byte[] { 1, 2, 3 } });
        var m = new YMap();
        m.Set("x", 1L);
        a.Insert(2, new object?[] { m, "after" });
        doc.Transact(_ =>
        {
            a.Delete(1, 1);
            a.Insert(3, new object?[] { "mid" });
            m.Set("y", "why");
            m.Set("x", 2L);
        });
        var inner = Assert.IsType<YMap>(a.Get(1));
        Assert.Same(m, inner);
        doc.Transact(_ =>
        {
            inner.Set("x", 3L);
            inner.Delete("y");
            inner.Set("z", new YArray());
        });
        ((YArray)inner.Get("z")!).Push(new object?[] { 7L, 8L });

        Assert.Equal(
            """[1,{"x":3,"z":[7,8]},"after","mid",{"three":3},[4],null,true,2.5,{"0":1,"1":2,"2":3}]""",
            TypeTestJson.Value(a.ToJson()));
        Assert.Equal(10, a.Length);
        Assert.Equal("""[{"x":3,"z":[7,8]},"after","mid",{"three":3},[4],null,true]""", TypeTestJson.Value(a.Slice(1, -2)));
        Assert.Equal("""[true,2.5,{"0":1,"1":2,"2":3}]""", TypeTestJson.Value(a.Slice(-3)));
        Assert.Equal(
            new[]
            {
                """[{"insert":[1,"two",{"three":3},[4],null,true,2.5]}] added=1 deleted=0""",
                """[{"retain":7},{"insert":[{"0":1,"1":2,"2":3}]}] added=1 deleted=0""",
                """[{"retain":2},{"insert":[{"x":1},"after"]}] added=2 deleted=0""",
                """[{"retain":1},{"delete":1},{"retain":2},{"insert":["mid"]}] added=1 deleted=1""",
            },
            ev);
        Assert.Equal(
            new[]
            {
                """[] [{"insert":[1,"two",{"three":3},[4],null,true,2.5]}] []""",
                """[] [{"retain":7},{"insert":[{"0":1,"1":2,"2":3}]}] []""",
                """[] [{"retain":2},{"insert":[{"x":1},"after"]}] []""",
                """[] [{"retain":1},{"delete":1},{"retain":2},{"insert":["mid"]}] [] | [1] [] [["y",{"action":"add"}],["x",{"action":"update","oldValue":1}]]""",
                """[1] [] [["x",{"action":"update","oldValue":2}],["y",{"action":"delete","oldValue":"why"}],["z",{"action":"add"}]]""",
                """[1,"z"] [{"insert":[7,8]}] []""",
            },
            deep);
        Assert.Equal(
            "AQwBAAgBAWEBfQGBAQABiAEBBXYBBXRocmVlfQN1AX0Efnh8QCAAAIMBBgMBAgPHAQEBAgEhAAEIAXgByAEIAQICdwVhZnRlcncDbWlkIQABCAF5AaEBCQGoAQ0BfQMnAAEIAXoACAABDwJ9B30IAQEDAQEJAQwC",
            Convert.ToBase64String(Y.EncodeStateAsUpdate(doc)));
    }

    [Fact]
    public void InsertedValuesAreStoredInTheShapeRemotePeersDecode()
    {
        var doc = Create(1);
        var a = doc.GetArray("a");
        var userList = new List<int> { 1, 2 };
        a.Push(new object?[] { 7, 1.5f, userList, new Dictionary<string, object?> { ["b"] = (short)1, ["0"] = "first" }, new ReadOnlyMemory<byte>(new byte[] { 9 }) });
        userList.Add(3);

        var local = a.ToArray();
        Assert.Equal(7L, local[0]);
        Assert.Equal(1.5, local[1]);
        Assert.Equal(new List<object?> { 1L, 2L }, local[2]);
        Assert.Equal(new[] { "0", "b" }, ((Dictionary<string, object?>)local[3]!).Keys);
        Assert.Equal(new byte[] { 9 }, local[4]);

        var remote = Create(2);
        Sync(doc, remote);
        Assert.Equal(TypeTestJson.Value(local), TypeTestJson.Value(remote.GetArray("a").ToArray()));
    }

    [Fact]
    public void ContentThatCannotBeEncodedIsRefusedBeforeAnythingChanges()
    {
        var doc = Create(1);
        var a = doc.GetArray("a");
        int updates = 0;
        doc.Update += (_, _) => updates++;
        Assert.Throws<ArgumentException>(() => a.Push(new object?[] { 1L, new object() }));
        Assert.Throws<ArgumentException>(() => a.Push(new object?[] { 1L, new List<object?> { new YMap() } }));
        var placed = new YArray();
        a.Push(new object?[] { placed });
        Assert.Throws<ArgumentException>(() => a.Push(new object?[] { "x", placed }));
        Assert.Single(a.ToArray());
        Assert.Equal(1, updates);
    }
}
