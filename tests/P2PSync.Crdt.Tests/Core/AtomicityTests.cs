using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using GC = P2PSync.Crdt.Structs.GC;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>A malformed update throws UpdateFormatException and leaves the doc exactly as it was.</summary>
public sealed class AtomicityTests
{
    private static Doc DocWithPendingState()
    {
        var d = NewDoc(40);
        d.GetText("text").Insert(0, "local");
        var ups = CoreGoldenData.PendingUpdates.Select(Hex).ToArray();
        Y.ApplyUpdate(d, ups[2]);
        Y.ApplyUpdate(d, ups[3]);
        return d;
    }

    private static void AssertRejectedWithoutChange(Doc doc, byte[] update, bool v2)
    {
        var before = Snapshot(doc);
        var events = 0;
        doc.BeforeTransaction += (_, _) => events++;
        var text = doc.GetText("text").ToString();
        Assert.Throws<UpdateFormatException>(() =>
        {
            if (v2)
            {
                Y.ApplyUpdateV2(doc, update);
            }
            else
            {
                Y.ApplyUpdate(doc, update);
            }
        });
        Assert.Equal(before, Snapshot(doc));
        Assert.Equal(text, doc.GetText("text").ToString());
        Assert.Equal(0, events);
    }

    public static IEnumerable<object[]> RealUpdates()
    {
        yield return [CoreGoldenData.TextState, false];
        yield return [CoreGoldenData.TextStateV2, true];
        yield return [CoreGoldenData.GcOffState, false];
        yield return [CoreGoldenData.GcOffStateV2, true];
        yield return [CoreGoldenData.NestedGcOffState, false];
        yield return [CoreGoldenData.DsStateV2, true];
    }

    [Theory]
    [MemberData(nameof(RealUpdates))]
    public void EveryTruncation_IsRejectedAtomically(string hex, bool v2)
    {
        var update = Hex(hex);
        var doc = DocWithPendingState();
        for (var length = 0; length < update.Length; length++)
        {
            var truncated = update.AsSpan(0, length).ToArray();
            var before = Snapshot(doc);
            try
            {
                if (v2)
                {
                    Y.ApplyUpdateV2(doc, truncated);
                }
                else
                {
                    Y.ApplyUpdate(doc, truncated);
                }
                // A prefix can be a valid update by chance (e.g. a struct count of zero); then the
                // doc must stay consistent: its state re-applies to an equal state elsewhere.
                var copy = NewDoc(41);
                Y.ApplyUpdate(copy, Y.EncodeStateAsUpdate(doc));
                Assert.Equal(Y.EncodeStateVector(doc), Y.EncodeStateVector(copy));
                doc = DocWithPendingState();
            }
            catch (UpdateFormatException)
            {
                Assert.Equal(before, Snapshot(doc));
            }
        }
    }

    [Theory]
    [MemberData(nameof(RealUpdates))]
    public void RandomCorruptions_ThrowOnlyFormatExceptions_AndRejectAtomically(string hex, bool v2)
    {
        var update = Hex(hex);
        var random = new Random(hex.Length);
        for (var round = 0; round < 300; round++)
        {
            var corrupted = (byte[])update.Clone();
            var flips = 1 + random.Next(3);
            for (var f = 0; f < flips; f++)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }
            var doc = DocWithPendingState();
            var before = Snapshot(doc);
            try
            {
                if (v2)
                {
                    Y.ApplyUpdateV2(doc, corrupted);
                }
                else
                {
                    Y.ApplyUpdate(doc, corrupted);
                }
                // Accepted: the doc must still encode and decode consistently.
                var after = Y.EncodeStateAsUpdate(doc);
                var copy = NewDoc(41);
                Y.ApplyUpdate(copy, after);
            }
            catch (UpdateFormatException)
            {
                Assert.Equal(before, Snapshot(doc));
            }
        }
    }

    [Fact]
    public void HugeStructCount_IsRejectedWithoutAllocating()
    {
        // 1 client, 2^40 structs, client 1, clock 0, then nothing.
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint(1UL << 40);
        w.WriteVarUint(1);
        w.WriteVarUint(0);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);
    }

    [Fact]
    public void HugeStructCountInV2_IsRejected()
    {
        // v2 with empty columns: the info column then repeats nothing, but the count is absurd.
        var w = new Lib0Writer();
        w.WriteVarUint(0); // feature flag
        for (var column = 0; column < 9; column++)
        {
            w.WriteVarUint8Array(ReadOnlySpan<byte>.Empty);
        }
        w.WriteVarUint(1);
        w.WriteVarUint(1UL << 30);
        w.WriteVarUint(0);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: true);
    }

    [Fact]
    public void HighlyCompressedRealV2Update_IsStillAccepted()
    {
        // 100,000 separately prepended and then deleted characters: yjs's v2 encoding of this is
        // about 42 bytes, far more structs than bytes; the struct budget must let it through.
        var src = NewDoc(60);
        var t = src.GetText("t");
        src.Transact(_ =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                t.Insert(0, "x");
            }
        });
        t.Delete(0, t.Length);
        var update = Y.EncodeStateAsUpdateV2(src);
        Assert.True(update.Length < 100);

        var dst = NewDoc(61);
        Y.ApplyUpdateV2(dst, update);
        Assert.Equal(Y.EncodeStateVector(src), Y.EncodeStateVector(dst));
        Assert.Equal(ToHex(update), ToHex(Y.EncodeStateAsUpdateV2(dst)));
    }

    [Fact]
    public void HugeDeleteSetCounts_AreRejected()
    {
        var w = new Lib0Writer();
        w.WriteVarUint(0); // no structs
        w.WriteVarUint(1); // one client
        w.WriteVarUint(7);
        w.WriteVarUint(1UL << 35); // deletes
        w.WriteVarUint(0);
        w.WriteVarUint(1);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);
    }

    [Fact]
    public void ZeroLengthStructs_AreRejected()
    {
        foreach (var (info, content) in new (byte Info, byte[] Content)[]
        {
            (0, [0]), // GC of length 0
            (10, [0]), // Skip of length 0
            (1, [0]), // deleted content of length 0
            (4, [0]), // empty string
            (8, [0]), // no any values
        })
        {
            var w = new Lib0Writer();
            w.WriteVarUint(1);
            w.WriteVarUint(1);
            w.WriteVarUint(5); // client
            w.WriteVarUint(0); // clock
            w.WriteUint8(info);
            if (info is not 0 and not 10)
            {
                w.WriteVarUint(1); // parent is a root key
                w.WriteVarString("t");
            }
            w.WriteUint8Array(content);
            w.WriteVarUint(0);
            AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);
        }
    }

    [Fact]
    public void ClockOverflow_IsRejected()
    {
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint(2);
        w.WriteVarUint(5);
        w.WriteVarUint(int.MaxValue - 1);
        w.WriteUint8(0);
        w.WriteVarUint(1); // GC [max-1, max)
        w.WriteUint8(0);
        w.WriteVarUint(5); // overflows
        w.WriteVarUint(0);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);

        var ds = new Lib0Writer();
        ds.WriteVarUint(0);
        ds.WriteVarUint(1);
        ds.WriteVarUint(5);
        ds.WriteVarUint(1);
        ds.WriteVarUint(int.MaxValue - 2);
        ds.WriteVarUint(10);
        AssertRejectedWithoutChange(DocWithPendingState(), ds.ToArray(), v2: false);
    }

    [Fact]
    public void EmptyDeleteRange_IsRejected()
    {
        var w = new Lib0Writer();
        w.WriteVarUint(0);
        w.WriteVarUint(1);
        w.WriteVarUint(3);
        w.WriteVarUint(1);
        w.WriteVarUint(4);
        w.WriteVarUint(0);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);
    }

    [Fact]
    public void UnsortedOverlappingDeletes_ArePendingSortedAndApplyLater()
    {
        var src = NewDoc(50);
        src.GetText("text").Insert(0, "0123456789");
        // Client 50 listed twice, ranges out of order and overlapping; the doc has none of them yet.
        var w = new Lib0Writer();
        w.WriteVarUint(0);
        w.WriteVarUint(2);
        w.WriteVarUint(50);
        w.WriteVarUint(2);
        w.WriteVarUint(6);
        w.WriteVarUint(2);
        w.WriteVarUint(1);
        w.WriteVarUint(3);
        w.WriteVarUint(50);
        w.WriteVarUint(1);
        w.WriteVarUint(2);
        w.WriteVarUint(1);
        var dst = NewDoc(51);
        Y.ApplyUpdate(dst, w.ToArray());
        var pendingDecoder = new UpdateDecoderV2(dst.Store.PendingDs!);
        Assert.Equal(0UL, pendingDecoder.RestReader.ReadVarUint()); // no structs
        var pending = DeleteSet.ReadDeleteSet(pendingDecoder);
        Assert.Equal(new[] { new DeleteItem(1, 3), new DeleteItem(6, 2) }, pending.Clients[50]);

        Y.ApplyUpdate(dst, Y.EncodeStateAsUpdate(src));
        Assert.Equal("04589", dst.GetText("text").ToString());
        Assert.Null(dst.Store.PendingDs);
    }

    [Fact]
    public void SameClientReferenceToALaterClock_IsRejected()
    {
        // Item 5:0 whose origin is 5:3 (its own future): could never be resolved.
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint(1);
        w.WriteVarUint(5);
        w.WriteVarUint(0);
        w.WriteUint8(0x84); // string content with origin
        w.WriteVarUint(5);
        w.WriteVarUint(3);
        w.WriteVarString("x");
        w.WriteVarUint(0);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);
    }

    [Fact]
    public void ItemContinuingAGarbageCollectedPrefix_BecomesGcInsteadOfFailing()
    {
        // First 5:0..4 as a GC, then the item 5:0..9 with a root parent: the part we lack is 5:5..9,
        // and its left neighbour is collected. (yjs throws a TypeError halfway through this.)
        var gc = new Lib0Writer();
        gc.WriteVarUint(1);
        gc.WriteVarUint(1);
        gc.WriteVarUint(5);
        gc.WriteVarUint(0);
        gc.WriteUint8(0);
        gc.WriteVarUint(5);
        gc.WriteVarUint(0);
        var item = new Lib0Writer();
        item.WriteVarUint(1);
        item.WriteVarUint(1);
        item.WriteVarUint(5);
        item.WriteVarUint(0);
        item.WriteUint8(4);
        item.WriteVarUint(1);
        item.WriteVarString("text");
        item.WriteVarString("0123456789");
        item.WriteVarUint(0);

        var doc = NewDoc(70);
        Y.ApplyUpdate(doc, gc.ToArray());
        Y.ApplyUpdate(doc, item.ToArray());
        Assert.Equal("", doc.GetText("text").ToString());
        Assert.Equal(new Dictionary<ulong, int> { [5] = 10 }, Y.DecodeStateVector(Y.EncodeStateVector(doc)));
        var structs = doc.Store.Clients[5];
        Assert.All(structs, s => Assert.IsType<GC>(s));
        StructStore.IntegrityCheck(doc.Store);
    }

    [Fact]
    public void UnknownContentRef_IsRejected()
    {
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint(1);
        w.WriteVarUint(5);
        w.WriteVarUint(0);
        w.WriteUint8(0x80 | 17);
        w.WriteVarUint(6);
        w.WriteVarUint(0);
        w.WriteVarUint(0);
        AssertRejectedWithoutChange(DocWithPendingState(), w.ToArray(), v2: false);
    }

    [Fact]
    public void DecodeStateVector_RejectsMalformedInput()
    {
        Assert.Throws<UpdateFormatException>(() => Y.DecodeStateVector(new byte[] { 5, 1 }));
        Assert.Throws<UpdateFormatException>(() => Y.DecodeStateVector(new byte[] { 1, 1, 0xff, 0xff, 0xff, 0xff, 0x7f }));
        Assert.Throws<UpdateFormatException>(() => Y.DecodeStateVector(Array.Empty<byte>()));
        var sv = Y.DecodeStateVector(Hex(CoreGoldenData.TextSv));
        Assert.Equal(new Dictionary<ulong, int> { [1] = 12 }, sv);
        Assert.Equal(CoreGoldenData.TextSv, ToHex(Y.EncodeStateVector(sv)));
    }
}
