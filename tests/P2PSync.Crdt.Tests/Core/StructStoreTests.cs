using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

public sealed class StructStoreTests
{
    private static StructList GcRun(ulong client, params int[] lengths)
    {
        var structs = new StructList();
        var clock = 0;
        foreach (var len in lengths)
        {
            structs.Add(new GC(new ID(client, clock), len));
            clock += len;
        }
        return structs;
    }

    [Fact]
    public void FindIndexSS_FindsTheStructContainingEveryClock()
    {
        var lengths = new[] { 1, 5, 2, 1, 1, 30, 3, 7, 1, 1, 1, 12 };
        var structs = GcRun(1, lengths);
        var clock = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            for (var c = 0; c < lengths[i]; c++)
            {
                Assert.Equal(i, StructStore.FindIndexSS(structs, clock + c));
            }
            clock += lengths[i];
        }
        Assert.Throws<InvalidOperationException>(() => StructStore.FindIndexSS(structs, clock));
        Assert.Throws<InvalidOperationException>(() => StructStore.FindIndexSS(new StructList(), 0));
    }

    [Fact]
    public void AddStruct_RequiresContiguousClocks()
    {
        var store = new StructStore();
        StructStore.AddStruct(store, new GC(new ID(1, 0), 3));
        StructStore.AddStruct(store, new GC(new ID(1, 3), 2));
        Assert.Throws<InvalidOperationException>(() => StructStore.AddStruct(store, new GC(new ID(1, 6), 1)));
        Assert.Equal(5, StructStore.GetState(store, 1));
        Assert.Equal(0, StructStore.GetState(store, 2));
        Assert.Equal(new Dictionary<ulong, int> { [1] = 5 }, StructStore.GetStateVector(store));
        StructStore.IntegrityCheck(store);
    }

    [Fact]
    public void CleanStartAndEnd_SplitItemsAndMergeBackAfterTheTransaction()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        t.Insert(0, "hello world");
        var structs = d.Store.Clients[1];
        Assert.Single(structs);

        d.Transact(tr =>
        {
            var right = StructStore.GetItemCleanStart(tr, new ID(1, 6));
            Assert.Equal(new ID(1, 6), right.Id);
            Assert.Equal(5, right.Length);
            Assert.Equal(2, structs.Count);
            var left = StructStore.GetItemCleanEnd(tr, d.Store, new ID(1, 2));
            Assert.Equal(new ID(1, 0), left.Id);
            Assert.Equal(3, left.Length);
            Assert.Equal(3, structs.Count);
            Assert.Same(structs[1], left.Right);
            Assert.Same(right, structs[2]);
            Assert.Equal(new ID(1, 2), ((Item)structs[1]).Origin);
            StructStore.IntegrityCheck(d.Store);
            Assert.Equal("hello world", t.ToString());
        });

        // The splits changed nothing, so cleanup merges the pieces again.
        Assert.Single(structs);
        Assert.Equal("hello world", t.ToString());
    }

    [Fact]
    public void GcStructs_AreNeverSplit()
    {
        var d = NewDoc(1);
        var store = d.Store;
        StructStore.AddStruct(store, new GC(new ID(9, 0), 10));
        d.Transact(tr =>
        {
            var s = StructStore.GetStructCleanStart(tr, new ID(9, 4));
            Assert.IsType<GC>(s);
            Assert.Equal(new ID(9, 0), s.Id);
            Assert.Same(s, StructStore.GetStructCleanEnd(tr, store, new ID(9, 4)));
            Assert.Throws<InvalidOperationException>(() => StructStore.GetItemCleanStart(tr, new ID(9, 4)));
        });
        Assert.Single(store.Clients[9]);
    }

    [Fact]
    public void IterateStructs_VisitsExactlyTheRange()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        t.Insert(0, "abcdefghij");
        d.Transact(tr =>
        {
            var visited = new List<(int Clock, int Length)>();
            StructStore.IterateStructs(tr, d.Store.Clients[1], 3, 4, s => visited.Add((s.Id.Clock, s.Length)));
            Assert.Equal(new[] { (3, 4) }, visited);
            Assert.Equal(3, d.Store.Clients[1].Count);
        });
    }

    [Fact]
    public void FollowRedone_ReturnsTheStructAndOffset()
    {
        var d = NewDoc(1);
        d.GetText("t").Insert(0, "abc");
        var (item, diff) = Item.FollowRedone(d.Store, new ID(1, 2));
        Assert.Equal(new ID(1, 0), item.Id);
        Assert.Equal(2, diff);
    }

    [Fact]
    public void KeepItem_MarksTheItemAndItsAncestors()
    {
        var d = NewDoc(1);
        var a = d.GetArray("a");
        var inner = new P2PSync.Crdt.Types.YArray();
        a.Push(new object?[] { inner });
        inner.Push(new object?[] { 1L });
        var child = inner.Start!;
        Item.KeepItem(child, true);
        Assert.True(child.Keep);
        Assert.True(a.Start!.Keep);
        Item.KeepItem(child, false);
        Assert.False(child.Keep);
        Assert.False(a.Start!.Keep);
    }
}
