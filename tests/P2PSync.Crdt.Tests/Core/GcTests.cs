using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

public sealed class GcTests
{
    private static IReadOnlyList<AbstractStruct> Structs(Doc d, ulong client) => d.Store.Clients[client];

    [Fact]
    public void GcOn_ReplacesDeletedContentAndMergesDeletedItems()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        t.Insert(0, "abcdef");
        t.Delete(1, 2);
        var structs = Structs(d, 1);
        Assert.Equal(3, structs.Count);
        var deleted = Assert.IsType<Item>(structs[1]);
        Assert.True(deleted.Deleted);
        Assert.IsType<ContentDeleted>(deleted.Content);
        Assert.Equal(2, deleted.Length);

        t.Delete(1, 1); // deletes "d", adjacent to the deleted range
        Assert.Equal(3, structs.Count);
        Assert.Equal(3, structs[1].Length);
        Assert.Equal("aef", t.ToString());
    }

    [Fact]
    public void GcOff_KeepsDeletedContent()
    {
        var d = NewDoc(1, gc: false);
        var t = d.GetText("t");
        t.Insert(0, "abcdef");
        t.Delete(1, 2);
        var deleted = Assert.IsType<Item>(Structs(d, 1)[1]);
        Assert.True(deleted.Deleted);
        Assert.IsType<ContentString>(deleted.Content);
        Assert.Equal("bc", string.Concat(deleted.Content.GetContent()));
    }

    [Fact]
    public void GcFilter_CanKeepItems()
    {
        var d = new Doc(new DocOptions { ClientId = 1, GcFilter = item => !(item.Content is ContentString s && s.GetContent().Contains("k")) });
        var t = d.GetText("t");
        t.Insert(0, "ab");
        t.Insert(0, "k"); // a separate item: its origin is not the end of "ab"
        t.Delete(0, 3);
        var contents = Structs(d, 1).Cast<Item>().Select(i => i.Content.GetType().Name).ToList();
        Assert.Contains(nameof(ContentString), contents);
        Assert.Contains(nameof(ContentDeleted), contents);
    }

    [Fact]
    public void DeletingAType_TurnsItsContentIntoGcStructs()
    {
        var d = NewDoc(7);
        var a = d.GetArray("a");
        var child = new YText();
        a.Insert(0, new object?[] { "before", child, "after" });
        child.Insert(0, "child content");
        a.Delete(1, 1);
        var structs = Structs(d, 7);
        Assert.Contains(structs, s => s is GC);
        Assert.Equal("[\"before\",\"after\"]", Json(a.ToJson()));
        StructStore.IntegrityCheck(d.Store);
    }

    [Fact]
    public void KeptItems_AreNotCollected()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        t.Insert(0, "abc");
        var item = (Item)Structs(d, 1)[0];
        Item.KeepItem(item, true);
        t.Delete(0, 3);
        Assert.IsType<ContentString>(((Item)Structs(d, 1)[0]).Content);
    }

    [Fact]
    public void RemoteStructsOnAGcDoc_MatchTheSenderAfterSync()
    {
        var a = NewDoc(1, gc: false);
        var b = NewDoc(2);
        a.GetText("t").Insert(0, "0123456789");
        a.GetText("t").Delete(2, 5);
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a));
        Assert.Equal("01789", b.GetText("t").ToString());
        // b collected what a kept, so b's state carries a deleted placeholder instead of the text.
        var deleted = ((Item)b.Store.Clients[1][1]);
        Assert.IsType<ContentDeleted>(deleted.Content);
        var c = NewDoc(3);
        Y.ApplyUpdate(c, Y.EncodeStateAsUpdate(b));
        Assert.Equal("01789", c.GetText("t").ToString());
    }
}
