using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>YText.ToDelta against snapshots; expected deltas were captured from yjs 13.6.33.</summary>
public sealed class YTextSnapshotTests
{
    [Fact]
    public void DeltaBetweenSnapshotsMarksAddedAndRemovedText()
    {
        var doc = new Doc(new DocOptions { ClientId = 1, Gc = false });
        var t = doc.GetText("t");
        t.Insert(0, "abcdef");
        var s1 = Y.Snapshot(doc);
        t.Delete(1, 2);
        t.Insert(3, "XY");
        t.Format(0, 2, Attrs(("b", true)));
        var s2 = Y.Snapshot(doc);

        Assert.Equal(
            """[{"insert":"a","attributes":{"b":true}},{"insert":"bc","attributes":{"b":true,"ychange":{"type":"removed"}}},{"insert":"d","attributes":{"b":true}},{"insert":"e"},{"insert":"XY","attributes":{"ychange":{"type":"added"}}},{"insert":"f"}]""",
            TypeTestJson.Delta(t.ToDelta(s2, s1)));
        Assert.Equal("""[{"insert":"abcdef"}]""", TypeTestJson.Delta(t.ToDelta(s1)));
        Assert.Equal(
            """[{"insert":"a","attributes":{"b":true}},{"insert":"bc","attributes":{"b":true,"ychange":{"type":"removed","user":1}}},{"insert":"d","attributes":{"b":true}},{"insert":"e"},{"insert":"XY","attributes":{"ychange":{"type":"added","user":1}}},{"insert":"f"}]""",
            TypeTestJson.Delta(t.ToDelta(s2, s1, (type, id) => Attrs(("type", type), ("user", (long)id.Client)))));
        Assert.Equal("adeXYf", t.ToString());
    }
}
