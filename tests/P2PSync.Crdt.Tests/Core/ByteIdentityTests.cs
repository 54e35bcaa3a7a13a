using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>The same operations with the same client ids must give yjs's bytes exactly.</summary>
public sealed class ByteIdentityTests
{
    [Fact]
    public void TextEdits_UpdateEventsAndStateMatchYjs()
    {
        var d = NewDoc(1);
        var updates = new List<string>();
        var updatesV2 = new List<string>();
        d.Update += (_, e) => updates.Add(ToHex(e.Update));
        d.UpdateV2 += (_, e) => updatesV2.Add(ToHex(e.Update));
        var t = d.GetText("text");
        t.Insert(0, "hello");
        t.Insert(5, " world");
        t.Delete(0, 1);
        d.Transact(_ =>
        {
            t.Insert(0, "H");
            t.Delete(5, 1);
        });

        Assert.Equal(CoreGoldenData.TextUpdates, updates);
        Assert.Equal(CoreGoldenData.TextUpdatesV2, updatesV2);
        Assert.Equal(CoreGoldenData.TextState, ToHex(Y.EncodeStateAsUpdate(d)));
        Assert.Equal(CoreGoldenData.TextStateV2, ToHex(Y.EncodeStateAsUpdateV2(d)));
        Assert.Equal(CoreGoldenData.TextSv, ToHex(Y.EncodeStateVector(d)));
        Assert.Equal(CoreGoldenData.TextString, t.ToString());
        var sv = Y.EncodeStateVector(new Dictionary<ulong, int> { [1] = 5 });
        Assert.Equal(CoreGoldenData.TextDiff, ToHex(Y.EncodeStateAsUpdate(d, sv)));
    }

    [Fact]
    public void ConcurrentInserts_ResolveAndEncodeLikeYjs()
    {
        var d1 = NewDoc(1);
        var d2 = NewDoc(2);
        d1.GetText("t").Insert(0, "abc");
        d2.GetText("t").Insert(0, "xyz");
        var u1 = Y.EncodeStateAsUpdate(d1);
        var u2 = Y.EncodeStateAsUpdate(d2);
        Assert.Equal(CoreGoldenData.ConcurrentU1, ToHex(u1));
        Assert.Equal(CoreGoldenData.ConcurrentU2, ToHex(u2));
        Y.ApplyUpdate(d1, u2);
        Y.ApplyUpdate(d2, u1);
        d2.GetText("t").Insert(3, "-");
        Y.ApplyUpdate(d1, Y.EncodeStateAsUpdate(d2, Y.EncodeStateVector(d1)));

        Assert.Equal(CoreGoldenData.ConcurrentText, d1.GetText("t").ToString());
        Assert.Equal(CoreGoldenData.ConcurrentText, d2.GetText("t").ToString());
        Assert.Equal(CoreGoldenData.ConcurrentState, ToHex(Y.EncodeStateAsUpdate(d1)));
        Assert.Equal(CoreGoldenData.ConcurrentStateV2, ToHex(Y.EncodeStateAsUpdateV2(d1)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MapsArraysAndNestedTypes_MatchYjs(bool gc)
    {
        var d = NewDoc(5, gc);
        var m = d.GetMap("m");
        var a = d.GetArray("a");
        m.Set("a", 1L);
        m.Set("b", "x");
        a.Push(new object?[] { 1L, 2L, "s" });
        var nested = new YMap();
        a.Insert(1, new object?[] { nested });
        nested.Set("k", true);
        m.Set("a", 2L);
        a.Delete(0, 1);
        d.Transact(_ =>
        {
            var txt = new YText();
            m.Set("t", txt);
            txt.Insert(0, "nested text");
            txt.Delete(2, 3);
        });

        Assert.Equal(gc ? CoreGoldenData.GcOnState : CoreGoldenData.GcOffState, ToHex(Y.EncodeStateAsUpdate(d)));
        Assert.Equal(gc ? CoreGoldenData.GcOnStateV2 : CoreGoldenData.GcOffStateV2, ToHex(Y.EncodeStateAsUpdateV2(d)));
        var json = Json(new Dictionary<string, object?> { ["m"] = m.ToJson(), ["a"] = a.ToJson() });
        Assert.Equal(gc ? CoreGoldenData.GcOnJson : CoreGoldenData.GcOffJson, json);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DeletedNestedType_BecomesGcStructsOnlyWithGc(bool gc)
    {
        var d = NewDoc(7, gc);
        var a = d.GetArray("a");
        var child = new YText();
        a.Insert(0, new object?[] { "before", child, "after" });
        child.Insert(0, "child content");
        child.Format(0, 5, new Dictionary<string, object?> { ["bold"] = true });
        a.Delete(1, 1);

        Assert.Equal(gc ? CoreGoldenData.NestedGcOnState : CoreGoldenData.NestedGcOffState, ToHex(Y.EncodeStateAsUpdate(d)));
        Assert.Equal(gc ? CoreGoldenData.NestedGcOnStateV2 : CoreGoldenData.NestedGcOffStateV2, ToHex(Y.EncodeStateAsUpdateV2(d)));
    }

    [Fact]
    public void SeparateDeletionsAndForeignStructs_DeleteSetEncodingsMatchYjs()
    {
        var d = NewDoc(9, gc: false);
        var t = d.GetText("t");
        t.Insert(0, "abcdefghijklmnopqrstuvwxyz");
        t.Delete(20, 2);
        t.Delete(10, 3);
        t.Delete(1, 1);
        var d2 = NewDoc(8);
        d2.GetText("t").Insert(0, "XY");
        Y.ApplyUpdate(d, Y.EncodeStateAsUpdate(d2));
        t.Delete(0, 1);

        Assert.Equal(CoreGoldenData.DsText, t.ToString());
        Assert.Equal(CoreGoldenData.DsState, ToHex(Y.EncodeStateAsUpdate(d)));
        Assert.Equal(CoreGoldenData.DsStateV2, ToHex(Y.EncodeStateAsUpdateV2(d)));
    }

    [Fact]
    public void YjsUpdates_ApplyAndReencodeIdentically()
    {
        // Decoding yjs's bytes and encoding them again must give the same bytes, in both formats.
        foreach (var (v1, v2) in new[]
        {
            (CoreGoldenData.TextState, CoreGoldenData.TextStateV2),
            (CoreGoldenData.GcOnState, CoreGoldenData.GcOnStateV2),
            (CoreGoldenData.GcOffState, CoreGoldenData.GcOffStateV2),
            (CoreGoldenData.NestedGcOffState, CoreGoldenData.NestedGcOffStateV2),
            (CoreGoldenData.DsState, CoreGoldenData.DsStateV2),
        })
        {
            var fromV1 = NewDoc(100, gc: false);
            Y.ApplyUpdate(fromV1, Hex(v1));
            Assert.Equal(v1, ToHex(Y.EncodeStateAsUpdate(fromV1)));
            Assert.Equal(v2, ToHex(Y.EncodeStateAsUpdateV2(fromV1)));

            var fromV2 = NewDoc(100, gc: false);
            Y.ApplyUpdateV2(fromV2, Hex(v2));
            Assert.Equal(v1, ToHex(Y.EncodeStateAsUpdate(fromV2)));
        }
    }
}
