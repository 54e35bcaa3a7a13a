using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>StructList is a gap buffer; it must behave exactly like a list under any edit sequence.</summary>
public sealed class StructListTests
{
    private static GC Struct(int n) => new(new ID(1, n), 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomInsertsAndRemovals_MatchAList(int seed)
    {
        var random = new Random(seed);
        var expected = new List<AbstractStruct>();
        var actual = new StructList();
        for (var step = 0; step < 5000; step++)
        {
            var op = random.Next(10);
            if (op < 4 || expected.Count == 0)
            {
                var s = Struct(step);
                var index = random.Next(expected.Count + 1);
                expected.Insert(index, s);
                actual.Insert(index, s);
            }
            else if (op < 6)
            {
                var s = Struct(step);
                expected.Add(s);
                actual.Add(s);
            }
            else if (op < 9)
            {
                var index = random.Next(expected.Count);
                var count = random.Next(Math.Min(4, expected.Count - index) + 1);
                expected.RemoveRange(index, count);
                actual.RemoveRange(index, count);
            }
            else
            {
                var index = random.Next(expected.Count);
                var s = Struct(step);
                expected[index] = s;
                actual[index] = s;
            }
            Assert.Equal(expected.Count, actual.Count);
            if (step % 50 == 0)
            {
                Assert.Equal(expected, actual);
            }
        }
        Assert.Equal(expected, actual);
        Assert.Equal(expected, actual.ToList());
    }

    [Fact]
    public void OutOfRangeAccess_Throws()
    {
        var list = new StructList([Struct(0), Struct(1)]);
        list.Insert(1, Struct(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list.Insert(4, Struct(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => list.RemoveRange(2, 2));
        Assert.Equal([0, 2, 1], list.Select(s => s.Id.Clock));
        Assert.Equal(1, list[^1].Id.Clock);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void IndexOfClock_FindsEveryClockWhereverTheGapIs(int seed)
    {
        var random = new Random(seed);
        // Structs of random lengths with contiguous clocks, inserted in random order at their
        // sorted position, so the gap wanders; every few steps all clocks are looked up.
        var all = new List<AbstractStruct>();
        var clock = 0;
        for (var i = 0; i < 300; i++)
        {
            var length = 1 + random.Next(5);
            all.Add(new GC(new ID(1, clock), length));
            clock += length;
        }
        var list = new StructList();
        var present = new List<AbstractStruct>();
        foreach (var s in all.OrderBy(_ => random.Next()))
        {
            var index = present.FindIndex(p => p.Id.Clock > s.Id.Clock);
            index = index < 0 ? present.Count : index;
            present.Insert(index, s);
            list.Insert(index, s);
            if (random.Next(20) == 0)
            {
                AssertEveryClockFound(list, present, clock);
            }
        }
        AssertEveryClockFound(list, present, clock);
    }

    private static void AssertEveryClockFound(StructList list, List<AbstractStruct> present, int clockEnd)
    {
        for (var c = -1; c <= clockEnd; c++)
        {
            var expected = present.FindIndex(s => s.Id.Clock <= c && c < s.Id.Clock + s.Length);
            Assert.Equal(expected, list.IndexOfClock(c));
        }
    }
}
