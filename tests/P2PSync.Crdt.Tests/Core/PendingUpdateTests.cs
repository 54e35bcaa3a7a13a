using P2PSync.Crdt.Core;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>Updates that arrive before what they depend on wait as pending and apply later.</summary>
public sealed class PendingUpdateTests
{
    private static byte[][] PendingUpdates => CoreGoldenData.PendingUpdates.Select(Hex).ToArray();

    [Fact]
    public void OutOfOrder_KeepsPendingStructsAndDeletes_LikeYjs()
    {
        var ups = PendingUpdates;
        var dst = NewDoc(4);
        Y.ApplyUpdate(dst, ups[2]);
        Y.ApplyUpdate(dst, ups[3]);

        Assert.Equal(CoreGoldenData.PendingAfter23Text, dst.GetText("t").ToString());
        Assert.NotNull(dst.Store.PendingStructs);
        Assert.NotNull(dst.Store.PendingDs);
        // The pending parts are part of the encoded state, exactly as yjs encodes them.
        Assert.Equal(CoreGoldenData.PendingAfter23, ToHex(Y.EncodeStateAsUpdate(dst)));
        Assert.Equal(CoreGoldenData.PendingAfter23V2, ToHex(Y.EncodeStateAsUpdateV2(dst)));

        Y.ApplyUpdate(dst, ups[0]);
        Assert.Equal(CoreGoldenData.PendingAfter023Text, dst.GetText("t").ToString());
        Assert.Equal(CoreGoldenData.PendingAfter023, ToHex(Y.EncodeStateAsUpdate(dst)));

        Y.ApplyUpdate(dst, ups[1]);
        Assert.Equal(CoreGoldenData.PendingAllText, dst.GetText("t").ToString());
        Assert.Null(dst.Store.PendingStructs);
        Assert.Null(dst.Store.PendingDs);
        Assert.Equal(CoreGoldenData.PendingAll, ToHex(Y.EncodeStateAsUpdate(dst)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomDeliveryOrder_Converges(int seed)
    {
        var random = new Random(seed);
        var a = NewDoc(10);
        var b = NewDoc(11);
        var log = new List<(bool V2, byte[] Update)>();
        a.Update += (_, e) => log.Add((false, e.Update));
        b.UpdateV2 += (_, e) => log.Add((true, e.Update));
        // Two writers exchange part of their updates as they go, so later updates depend on both.
        for (var i = 0; i < 30; i++)
        {
            var writer = random.Next(2) == 0 ? a : b;
            var text = writer.GetText("t");
            var map = writer.GetMap("m");
            var array = writer.GetArray("a");
            switch (random.Next(4))
            {
                case 0:
                    text.Insert(random.Next(text.Length + 1), "x" + i);
                    break;
                case 1 when text.Length > 1:
                    text.Delete(random.Next(text.Length - 1), 1);
                    break;
                case 2:
                    map.Set("k" + random.Next(3), (long)i);
                    break;
                default:
                    array.Insert(random.Next(array.Length + 1), new object?[] { (long)i, "v" });
                    break;
            }
            if (random.Next(3) == 0)
            {
                Y.ApplyUpdate(a, Y.EncodeStateAsUpdate(b, Y.EncodeStateVector(a)));
                Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a, Y.EncodeStateVector(b)));
            }
        }

        var shuffled = log.OrderBy(_ => random.Next()).ToList();
        var c = NewDoc(12);
        foreach (var (v2, update) in shuffled)
        {
            if (v2)
            {
                Y.ApplyUpdateV2(c, update);
            }
            else
            {
                Y.ApplyUpdate(c, update);
            }
        }
        Y.ApplyUpdate(a, Y.EncodeStateAsUpdate(b));
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a));

        Assert.Null(c.Store.PendingStructs);
        Assert.Null(c.Store.PendingDs);
        Assert.Equal(a.GetText("t").ToString(), c.GetText("t").ToString());
        // Key order follows arrival order (as in yjs), so compare the entries sorted.
        Assert.Equal(SortedEntries(a.GetMap("m")), SortedEntries(c.GetMap("m")));
        Assert.Equal(Json(a.GetArray("a").ToJson()), Json(c.GetArray("a").ToJson()));
        Assert.Equal(Y.EncodeStateVector(a), Y.EncodeStateVector(c));
        Assert.Equal(ToHex(Y.EncodeStateAsUpdate(a)), ToHex(Y.EncodeStateAsUpdate(c)));
        Assert.Equal(ToHex(Y.EncodeStateAsUpdate(a)), ToHex(Y.EncodeStateAsUpdate(b)));
    }

    private static List<string> SortedEntries(P2PSync.Crdt.Types.YMap map) =>
        map.Entries().Select(kv => kv.Key + "=" + Json(kv.Value)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void PendingDeleteOfUnknownStructs_AppliesWhenStructsArrive()
    {
        var src = NewDoc(20);
        var updates = new List<byte[]>();
        src.Update += (_, e) => updates.Add(e.Update);
        src.GetArray("a").Push(new object?[] { 1L, 2L, 3L });
        src.GetArray("a").Delete(1, 1);

        var dst = NewDoc(21);
        Y.ApplyUpdate(dst, updates[1]);
        Assert.Null(dst.Store.PendingStructs);
        Assert.NotNull(dst.Store.PendingDs);
        Assert.Empty(dst.GetArray("a").ToArray());

        Y.ApplyUpdate(dst, updates[0]);
        Assert.Null(dst.Store.PendingDs);
        Assert.Equal("[1,3]", Json(dst.GetArray("a").ToJson()));
    }

    [Fact]
    public void StructsFromAnUnknownClient_WaitUntilThatClientArrives()
    {
        var a = NewDoc(30);
        var b = NewDoc(31);
        a.GetText("t").Insert(0, "base");
        var ua = Y.EncodeStateAsUpdate(a);
        Y.ApplyUpdate(b, ua);
        b.GetText("t").Insert(2, "--");
        var ub = Y.EncodeStateAsUpdate(b, Y.EncodeStateVector(a));

        var c = NewDoc(32);
        Y.ApplyUpdate(c, ub);
        Assert.Equal("", c.GetText("t").ToString());
        Assert.NotNull(c.Store.PendingStructs);
        Assert.Equal(0, c.Store.PendingStructs!.Missing[30]);

        Y.ApplyUpdate(c, ua);
        Assert.Equal("ba--se", c.GetText("t").ToString());
        Assert.Null(c.Store.PendingStructs);
    }
}
