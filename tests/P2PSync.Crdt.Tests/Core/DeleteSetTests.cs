using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

public sealed class DeleteSetTests
{
    private static DeleteSet Build(params (ulong Client, int Clock, int Len)[] items)
    {
        var ds = new DeleteSet();
        foreach (var (client, clock, len) in items)
        {
            DeleteSet.AddToDeleteSet(ds, client, clock, len);
        }
        return ds;
    }

    private static DeleteSet MergedFixture() => DeleteSet.MergeDeleteSets(new[]
    {
        Build((5, 10, 3), (5, 0, 2), (5, 2, 1), (5, 20, 4), (300, 7, 1)),
        Build((5, 12, 5), (5, 30, 1), (1, 0, 1)),
    });

    [Fact]
    public void SortAndMerge_JoinsTouchingAndOverlappingRanges()
    {
        var ds = Build((1, 10, 2), (1, 0, 3), (1, 3, 2), (1, 11, 5), (1, 30, 1), (1, 12, 1), (2, 4, 4));
        DeleteSet.SortAndMergeDeleteSet(ds);
        Assert.Equal(new[] { new DeleteItem(0, 5), new DeleteItem(10, 6), new DeleteItem(30, 1) }, ds.Clients[1]);
        Assert.Equal(new[] { new DeleteItem(4, 4) }, ds.Clients[2]);
    }

    [Fact]
    public void MergeDeleteSets_MatchesYjs()
    {
        var merged = MergedFixture();
        var json = "[" + string.Join(",", merged.Clients.Select(kv =>
            $"[{kv.Key},[" + string.Join(",", kv.Value.Select(d => $"{{\"clock\":{d.Clock},\"len\":{d.Len}}}")) + "]]")) + "]";
        Assert.Equal(CoreGoldenData.DsMergedJson, json);
    }

    [Fact]
    public void WriteDeleteSet_V1AndV2_MatchYjsBytes()
    {
        var merged = MergedFixture();
        var v1 = new DSEncoderV1();
        DeleteSet.WriteDeleteSet(v1, merged);
        UpdateCodec.WriteStateVector(v1, new Dictionary<ulong, int>());
        Assert.Equal(CoreGoldenData.DsMergedV1, ToHex(v1.ToArray()));

        var v2 = new DSEncoderV2();
        DeleteSet.WriteDeleteSet(v2, merged);
        UpdateCodec.WriteStateVector(v2, new Dictionary<ulong, int>());
        Assert.Equal(CoreGoldenData.DsMergedV2, ToHex(v2.ToArray()));
    }

    [Fact]
    public void ReadDeleteSet_RoundTripsBothEncodings()
    {
        var merged = MergedFixture();
        var fromV1 = DeleteSet.ReadDeleteSet(new DSDecoderV1(new Lib0Reader(Hex(CoreGoldenData.DsMergedV1))));
        var fromV2 = DeleteSet.ReadDeleteSet(new DSDecoderV2(new Lib0Reader(Hex(CoreGoldenData.DsMergedV2))));
        Assert.True(DeleteSet.EqualDeleteSets(merged, fromV1));
        Assert.True(DeleteSet.EqualDeleteSets(merged, fromV2));
        Assert.False(DeleteSet.EqualDeleteSets(merged, Build((5, 0, 3))));
    }

    [Fact]
    public void ReadDeleteSet_RejectsCountsBeyondInput()
    {
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint(5);
        w.WriteVarUint(1000);
        w.WriteVarUint(0);
        w.WriteVarUint(1);
        Assert.Throws<UpdateFormatException>(() => DeleteSet.ReadDeleteSet(new DSDecoderV1(new Lib0Reader(w.ToArray()))));
    }

    [Fact]
    public void IsDeleted_FindsRangesByBinarySearch()
    {
        var merged = MergedFixture();
        Assert.True(DeleteSet.IsDeleted(merged, new ID(5, 0)));
        Assert.True(DeleteSet.IsDeleted(merged, new ID(5, 2)));
        Assert.False(DeleteSet.IsDeleted(merged, new ID(5, 3)));
        Assert.True(DeleteSet.IsDeleted(merged, new ID(5, 16)));
        Assert.False(DeleteSet.IsDeleted(merged, new ID(5, 17)));
        Assert.True(DeleteSet.IsDeleted(merged, new ID(5, 30)));
        Assert.False(DeleteSet.IsDeleted(merged, new ID(5, 31)));
        Assert.False(DeleteSet.IsDeleted(merged, new ID(6, 0)));
        Assert.Equal(-1, DeleteSet.FindIndexDS(merged.Clients[5], 9));
        Assert.Equal(1, DeleteSet.FindIndexDS(merged.Clients[5], 10));
    }

    [Fact]
    public void CreateDeleteSetFromStructStore_CoversDeletedRuns()
    {
        var d = NewDoc(3, gc: false);
        var t = d.GetText("t");
        t.Insert(0, "abcdefgh");
        t.Delete(1, 2);
        t.Delete(5, 1);
        t.Delete(0, 1);
        var ds = DeleteSet.CreateDeleteSetFromStructStore(d.Store);
        Assert.Equal(new[] { new DeleteItem(0, 3), new DeleteItem(7, 1) }, ds.Clients[3]);
    }
}
