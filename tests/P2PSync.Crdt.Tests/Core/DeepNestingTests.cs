using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>
/// Run-length encoded v2 columns let a few bytes describe very deep type nesting. Deleting,
/// collecting or serialising such a tree recursed once per level and overflowed the stack (an
/// uncatchable crash), so types below <see cref="AbstractType.MaxNestingDepth"/> become GC.
/// </summary>
public sealed class DeepNestingTests
{
    // 100,000 YArrays, each inside the previous one, under root "a", and an empty delete set.
    private const string HundredThousandNestedArraysV2 =
        "000004419E8D060500039C8D06000107030161010301000004409E8D060001A08D060000";

    // The same, followed by a delete set that deletes the outermost array (40 bytes).
    private const string NestedArraysThenDeleteOuterV2 =
        "000004419E8D060500039C8D06000107030161010301000004409E8D060001A08D06000101010000";

    // 1,000,000 nested arrays (36 bytes): applying them kept 442 MB alive before the cap.
    private const string MillionNestedArraysV2 =
        "00000441BE843D050003BC843D00010703016101030100000440BE843D0001C0843D0000";

    [Fact]
    public void DeepHostileNestingIsCappedAndDeletingItDoesNotOverflow()
    {
        var doc = new Doc(new DocOptions { ClientId = 7 });
        Y.ApplyUpdateV2(doc, Convert.FromHexString(NestedArraysThenDeleteOuterV2));

        Assert.Equal(0, doc.GetArray("a").Length);
        Assert.Equal("[]", P2PSync.Crdt.Encoding.Lib0Any.ToJsonString(doc.GetArray("a").ToJson()));
    }

    [Fact]
    public void DeepHostileNestingStopsAtTheCapAndSerialises()
    {
        var doc = new Doc(new DocOptions { ClientId = 7 });
        Y.ApplyUpdateV2(doc, Convert.FromHexString(HundredThousandNestedArraysV2));

        var depth = 0;
        AbstractType current = doc.GetArray("a");
        while (current is YArray array && array.Length > 0)
        {
            current = (AbstractType)array.Get(0)!;
            depth++;
        }
        Assert.Equal(AbstractType.MaxNestingDepth, depth);
        Assert.NotNull(doc.GetArray("a").ToJson());
        // The collected part still counts as known, so the state vector covers every struct.
        Assert.Equal(100_000, Y.DecodeStateVector(Y.EncodeStateVector(doc)).Values.Single());
        // And a later delete of the outermost array (v1) walks only the capped tree.
        Y.ApplyUpdate(doc, Convert.FromHexString("000101010001"));
        Assert.Equal(0, doc.GetArray("a").Length);
    }

    [Fact]
    public void MillionNestedArraysDoNotStayInMemory()
    {
        var doc = new Doc(new DocOptions { ClientId = 7 });
        Y.ApplyUpdateV2(doc, Convert.FromHexString(MillionNestedArraysV2));

        // Heap readings are disturbed by tests running in parallel, so count what the doc keeps:
        // the capped tree as items and everything below it as one merged GC range.
        var structs = doc.Store.Clients.Values.Sum(list => list.Count);
        Assert.InRange(structs, 1, AbstractType.MaxNestingDepth + 1);
        Assert.True(Y.EncodeStateAsUpdate(doc).Length < 16 * 1024);
    }

    [Fact]
    public void LocalInsertBeyondTheCapIsRefusedBeforeAnythingChanges()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        AbstractType parent = doc.GetArray("a");
        for (var i = 0; i < AbstractType.MaxNestingDepth; i++)
        {
            var child = new YArray();
            ((YArray)parent).Push(new object?[] { child });
            parent = child;
        }
        var before = Y.EncodeStateAsUpdate(doc);

        Assert.Throws<ArgumentException>(() => ((YArray)parent).Push(new object?[] { new YArray() }));
        Assert.Throws<ArgumentException>(() => ((YArray)parent).Push(new object?[] { new YMap() }));
        Assert.Equal(before, Y.EncodeStateAsUpdate(doc));
        // Plain values are still welcome at the deepest level.
        ((YArray)parent).Push(new object?[] { 1L });
        Assert.Equal(1, ((YArray)parent).Length);
    }
}
