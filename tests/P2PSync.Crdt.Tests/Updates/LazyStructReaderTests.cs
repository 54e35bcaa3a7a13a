using System.Diagnostics;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Updates;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Tests.Updates;

public sealed class LazyStructReaderTests
{
    /// <summary>A v1 update with one client and the given raw struct bytes, and an empty delete set.</summary>
    private static byte[] V1Update(ulong client, int clock, int structCount, params byte[] structBytes)
    {
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint((ulong)structCount);
        w.WriteVarUint(client);
        w.WriteVarUint((ulong)clock);
        w.WriteUint8Array(structBytes);
        w.WriteVarUint(0);
        return w.ToArray();
    }

    [Fact]
    public void ReadsStructsWithUnresolvedParents()
    {
        // Item (string "hi", parent root key "t"), then GC of 3, then Skip of 2.
        var update = V1Update(7, 10, 3, [0x04, 0x01, 0x01, (byte)'t', 0x02, (byte)'h', (byte)'i', 0x00, 0x03, 0x0A, 0x02]);
        var decoder = new UpdateDecoderV1(update);
        var reader = new LazyStructReader(decoder, filterSkips: false);
        var item = Assert.IsType<Item>(reader.Curr);
        Assert.Equal(new ID(7, 10), item.Id);
        Assert.Equal("t", item.ParentYKey);
        Assert.Equal("hi", ((ContentString)item.Content).Str);
        var gc = Assert.IsType<GC>(reader.Next());
        Assert.Equal(new ID(7, 12), gc.Id);
        Assert.Equal(3, gc.Length);
        var skip = Assert.IsType<Skip>(reader.Next());
        Assert.Equal(new ID(7, 15), skip.Id);
        Assert.Null(reader.Next());
        Assert.Empty(DeleteSet.ReadDeleteSet(decoder).Clients);
    }

    [Fact]
    public void FilterSkips_HidesSkips()
    {
        var update = V1Update(7, 0, 2, [0x0A, 0x02, 0x00, 0x03]);
        var reader = new LazyStructReader(new UpdateDecoderV1(update), filterSkips: true);
        Assert.IsType<GC>(reader.Curr);
        Assert.Null(reader.Next());
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 })] // GC of length 0
    [InlineData(new byte[] { 0x0A, 0x00 })] // Skip of length 0
    [InlineData(new byte[] { 0x04, 0x01, 0x01, (byte)'t', 0x00 })] // empty string item
    [InlineData(new byte[] { 0x01, 0x01, 0x01, (byte)'t', 0x00 })] // ContentDeleted of length 0
    public void ZeroLengthStructs_AreRejected(byte[] structBytes)
    {
        var update = V1Update(1, 0, 1, structBytes);
        Assert.Throws<UpdateFormatException>(() => Y.ConvertUpdateFormatV1ToV2(update));
    }

    [Fact]
    public void ClockOverflow_IsRejected()
    {
        var update = V1Update(1, int.MaxValue, 1, [0x00, 0x01]);
        Assert.Throws<UpdateFormatException>(() => Y.EncodeStateVectorFromUpdate(update));
    }

    [Fact]
    public void ContentRefsTenAndAboveInsideItems_AreRejected()
    {
        // info 0x2A = parentSub flag + ref 10: not a Skip, and 10 is no content ref.
        var update = V1Update(1, 0, 1, [0x2A, 0x01, 0x01, (byte)'t', 0x01, (byte)'k', 0x00]);
        Assert.Throws<UpdateFormatException>(() => Y.ParseUpdateMeta(update));
    }

    [Fact]
    public void TinyV2UpdateClaimingBillionsOfStructs_FailsFast()
    {
        // Run-length columns let a v2 update repeat "GC of length 1" without more bytes.
        var w = new Lib0Writer();
        w.WriteVarUint(0); // feature flag
        w.WriteVarUint8Array([]); // key clocks
        w.WriteVarUint8Array([0x05]); // client 5
        w.WriteVarUint8Array([]); // left clocks
        w.WriteVarUint8Array([]); // right clocks
        w.WriteVarUint8Array([0x00]); // info 0 (GC), repeated forever
        w.WriteVarUint8Array([0x00]); // no strings
        w.WriteVarUint8Array([]); // parent info
        w.WriteVarUint8Array([]); // type refs
        var lengths = new Lib0Writer();
        lengths.WriteVarInt(1, negative: true); // a run of 1s ...
        lengths.WriteVarUint((1UL << 40) - 2); // ... 2^40 long
        w.WriteVarUint8Array(lengths.ToArray());
        w.WriteVarUint(1); // one client
        w.WriteVarUint(1UL << 40); // claiming 2^40 structs
        w.WriteVarUint(0); // from clock 0
        var update = w.ToArray();

        var stopwatch = Stopwatch.StartNew();
        var e = Assert.Throws<UpdateFormatException>(() => Y.ParseUpdateMetaV2(update));
        Assert.Contains("structs", e.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }
}
