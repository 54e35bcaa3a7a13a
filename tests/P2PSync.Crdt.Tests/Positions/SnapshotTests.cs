using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Tests.Convergence;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Support.DocSync;

namespace P2PSync.Crdt.Tests.Positions;

public sealed class SnapshotTests
{
    private static Doc NewDoc(ulong clientId, bool gc = false) => new(new DocOptions { ClientId = clientId, Gc = gc });

    private static string DeltaText(IReadOnlyList<DeltaOp> delta) =>
        string.Concat(delta.Select(op => op.Insert as string ?? " "));

    [Fact]
    public void RestoringEverySnapshotOfARandomHistoryGivesTheContentOfThatTime()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var a = NewDoc(1);
            var b = NewDoc(2);
            var history = new List<(Snapshot Snapshot, string Text, string Array, string Map)>();
            for (var step = 0; step < 40; step++)
            {
                var doc = random.Next(2) == 0 ? a : b;
                RandomEdit(doc, random);
                if (random.Next(3) == 0)
                {
                    Sync(a, b);
                }
                history.Add((
                    Y.Snapshot(a),
                    a.GetText("t").ToString(),
                    DocContent.Canonical(a.GetArray("a").ToJson()),
                    DocContent.Canonical(a.GetMap("m").ToJson())));
            }
            var finalUpdate = Y.EncodeStateAsUpdate(a);

            foreach (var (snapshot, text, array, map) in history)
            {
                var restored = Y.CreateDocFromSnapshot(a, snapshot);
                Assert.True(text == restored.GetText("t").ToString(), $"seed {seed}");
                Assert.True(array == DocContent.Canonical(restored.GetArray("a").ToJson()), $"seed {seed}");
                // Map keys are ordered by arrival, which differs in the restored doc, so compare them sorted.
                Assert.True(map == DocContent.Canonical(restored.GetMap("m").ToJson()), $"seed {seed}");
                // The same content read directly through the snapshot, which splits items at its boundaries.
                Assert.True(text == DeltaText(a.GetText("t").ToDelta(snapshot)), $"seed {seed}");
            }
            Assert.Equal(finalUpdate, Y.EncodeStateAsUpdate(a));
        }
    }

    private static void RandomEdit(Doc doc, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
            case 1:
                var text = doc.GetText("t");
                if (text.Length > 2 && random.Next(2) == 0)
                {
                    var index = random.Next(text.Length - 1);
                    text.Delete(index, 1 + random.Next(Math.Min(3, text.Length - index)));
                }
                else
                {
                    text.Insert(random.Next(text.Length + 1), new string((char)('a' + random.Next(26)), 1 + random.Next(4)));
                }
                break;
            case 2:
                var array = doc.GetArray("a");
                if (array.Length > 0 && random.Next(2) == 0)
                {
                    array.Delete(random.Next(array.Length));
                }
                else
                {
                    array.Insert(random.Next(array.Length + 1), new object?[] { (long)random.Next(100), "v" });
                }
                break;
            default:
                var map = doc.GetMap("m");
                var key = ((char)('k' + random.Next(4))).ToString();
                if (random.Next(3) == 0)
                {
                    map.Delete(key);
                }
                else
                {
                    map.Set(key, (long)random.Next(100));
                }
                break;
        }
    }

    [Fact]
    public void RestoringFromADocWithGarbageCollectionIsRefused()
    {
        var doc = NewDoc(1, gc: true);
        doc.GetText("t").Insert(0, "abc");

        var error = Assert.Throws<InvalidOperationException>(() => Y.CreateDocFromSnapshot(doc, Y.Snapshot(doc)));
        Assert.Contains("Garbage collection", error.Message);
    }

    [Fact]
    public void RestoringASnapshotAheadOfTheOriginDocIsRefusedAndChangesNothing()
    {
        var a = NewDoc(1);
        var b = NewDoc(2);
        a.GetText("t").Insert(0, "abc");
        b.GetText("t").Insert(0, "xyz");
        Sync(a, b);
        b.GetText("t").Insert(1, "more");
        var snapshotOfB = Y.Snapshot(b);
        var before = Y.EncodeStateAsUpdate(a);

        Assert.Throws<ArgumentException>(() => Y.CreateDocFromSnapshot(a, snapshotOfB));
        Assert.Equal(before, Y.EncodeStateAsUpdate(a));
    }

    [Fact]
    public void RestoreWritesIntoAGivenDoc()
    {
        var origin = NewDoc(1);
        origin.GetText("t").Insert(0, "hello");
        var snapshot = Y.Snapshot(origin);
        origin.GetText("t").Delete(0, 5);
        var target = NewDoc(9);

        var restored = Y.CreateDocFromSnapshot(origin, snapshot, target);

        Assert.Same(target, restored);
        Assert.Equal("hello", target.GetText("t").ToString());
    }

    [Fact]
    public void EmptySnapshotRestoresAnEmptyDoc()
    {
        var origin = NewDoc(1);
        origin.GetText("t").Insert(0, "hello");

        var restored = Y.CreateDocFromSnapshot(origin, Y.EmptySnapshot());

        Assert.Equal("", restored.GetText("t").ToString());
        Assert.Equal(Y.EncodeStateVector(NewDoc(5)), Y.EncodeStateVector(restored));
    }

    [Fact]
    public void SnapshotsAreEqualExactlyWhenNothingChanged()
    {
        var doc = NewDoc(1);
        doc.GetText("t").Insert(0, "abc");
        var s1 = Y.Snapshot(doc);
        var s2 = Y.Snapshot(doc);
        doc.GetText("t").Delete(1, 1);
        var s3 = Y.Snapshot(doc);
        doc.GetText("t").Insert(0, "x");
        var s4 = Y.Snapshot(doc);

        Assert.True(Y.EqualSnapshots(s1, s2));
        Assert.False(Y.EqualSnapshots(s2, s3)); // same state vector, more deleted
        Assert.False(Y.EqualSnapshots(s3, s4)); // same deletions, more content
        Assert.True(Y.EqualSnapshots(Y.EmptySnapshot(), Y.Snapshot(NewDoc(5))));
        Assert.Equal(3, s1.StateVector[1]);
    }

    [Fact]
    public void EncodedSnapshotsRoundTripInBothFormats()
    {
        var random = new Random(7);
        var a = NewDoc(1);
        var b = NewDoc(300);
        for (var i = 0; i < 60; i++)
        {
            RandomEdit(i % 2 == 0 ? a : b, random);
            Sync(a, b);
            var snapshot = Y.Snapshot(a);

            Assert.True(Y.EqualSnapshots(snapshot, Y.DecodeSnapshot(Y.EncodeSnapshot(snapshot))));
            Assert.True(Y.EqualSnapshots(snapshot, Y.DecodeSnapshotV2(Y.EncodeSnapshotV2(snapshot))));
        }
    }

    [Fact]
    public void EveryTruncationOfAnEncodedSnapshotIsAFormatError()
    {
        var doc = NewDoc(1);
        doc.GetText("t").Insert(0, "abcdef");
        doc.GetText("t").Delete(1, 2);
        doc.GetText("t").Delete(4, 1);
        var snapshot = Y.Snapshot(doc);

        foreach (var bytes in new[] { Y.EncodeSnapshot(snapshot), Y.EncodeSnapshotV2(snapshot) })
        {
            for (var length = 0; length < bytes.Length; length++)
            {
                var prefix = bytes.AsMemory(0, length);
                Assert.Throws<UpdateFormatException>(() => Y.DecodeSnapshot(prefix));
                Assert.Throws<UpdateFormatException>(() => Y.DecodeSnapshotV2(prefix));
            }
        }
    }

    public static TheoryData<string> MalformedSnapshots => new()
    {
        "ffffffff0f00",           // huge delete-set client count
        "0101ffffffff0f",         // huge number of deleted ranges
        "010101ffffffff0f0100",   // deleted range clock above int.MaxValue
        "0101010101ffffffff07",   // clock + len overflows the clock range
        "0001ffffffffffffffffff", // overlong client varint in the state vector
        "000101ffffffff0f",       // state vector clock above int.MaxValue
    };

    [Theory]
    [MemberData(nameof(MalformedSnapshots))]
    public void MalformedSnapshotsThrowFormatException(string hex)
    {
        Assert.Throws<UpdateFormatException>(() => Y.DecodeSnapshot(Convert.FromHexString(hex)));
        Assert.Throws<UpdateFormatException>(() => Y.DecodeSnapshotV2(Convert.FromHexString(hex)));
    }

    [Fact]
    public void CraftedUnsortedDeleteSetIsNormalisedSoVisibilityStillWorks()
    {
        // Client 1 lists its ranges out of order and overlapping: [5,7) then [0,2) then [1,4).
        var writer = new Lib0Writer();
        writer.WriteVarUint(1);
        writer.WriteVarUint(1);
        writer.WriteVarUint(3);
        foreach (var (clock, len) in new[] { (5, 2), (0, 2), (1, 3) })
        {
            writer.WriteVarUint((ulong)clock);
            writer.WriteVarUint((ulong)len);
        }
        writer.WriteVarUint(1);
        writer.WriteVarUint(1);
        writer.WriteVarUint(10);

        var snapshot = Y.DecodeSnapshot(writer.ToArray());

        var expected = new Snapshot(new DeleteSet(), new Dictionary<ulong, int> { [1] = 10 });
        DeleteSet.AddToDeleteSet(expected.Ds, 1, 0, 4);
        DeleteSet.AddToDeleteSet(expected.Ds, 1, 5, 2);
        Assert.True(Y.EqualSnapshots(expected, snapshot));
    }

    [Fact]
    public void SnapshotContainsTheUpdatesThatCameBeforeIt()
    {
        var doc = NewDoc(1);
        var updates = new List<byte[]>();
        doc.Update += (_, e) => updates.Add(e.Update);
        doc.GetText("t").Insert(0, "abc");
        doc.GetText("t").Delete(1, 1);
        var snapshot = Y.Snapshot(doc);
        doc.GetText("t").Insert(0, "x");
        doc.GetText("t").Delete(0, 1);

        Assert.Equal(4, updates.Count);
        Assert.True(Y.SnapshotContainsUpdate(snapshot, updates[0]));
        Assert.True(Y.SnapshotContainsUpdate(snapshot, updates[1]));
        Assert.False(Y.SnapshotContainsUpdate(snapshot, updates[2])); // new content
        Assert.False(Y.SnapshotContainsUpdate(snapshot, updates[3])); // new deletion
        Assert.True(Y.SnapshotContainsUpdate(Y.Snapshot(doc), Y.EncodeStateAsUpdate(doc)));
        Assert.True(Y.SnapshotContainsUpdateV2(Y.Snapshot(doc), Y.EncodeStateAsUpdateV2(doc)));
        Assert.Throws<UpdateFormatException>(() => Y.SnapshotContainsUpdate(snapshot, new byte[] { 0x05 }));
    }
}
