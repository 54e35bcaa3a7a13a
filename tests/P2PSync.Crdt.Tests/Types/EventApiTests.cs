using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>Observer registration, event lifetime and paths.</summary>
public sealed class EventApiTests
{
    [Fact]
    public void UnobserveStopsDeliveryAndReportsWhetherRegistered()
    {
        var doc = Create(1);
        var a = doc.GetArray("a");
        int calls = 0;
        int deepCalls = 0;
        Action<YEvent, Transaction> f = (_, _) => calls++;
        Action<IReadOnlyList<YEvent>, Transaction> g = (_, _) => deepCalls++;
        a.Observe(f);
        a.ObserveDeep(g);
        a.Push(new object?[] { 1L });
        Assert.True(a.Unobserve(f));
        Assert.False(a.Unobserve(f));
        Assert.True(a.UnobserveDeep(g));
        a.Push(new object?[] { 2L });
        Assert.Equal(1, calls);
        Assert.Equal(1, deepCalls);
    }

    [Fact]
    public void ChangesCannotBeComputedAfterTheObserversRan()
    {
        var doc = Create(1);
        var m = doc.GetMap("m");
        YEvent? kept = null;
        m.Observe((e, _) => kept = e);
        m.Set("k", 1L);
        Assert.NotNull(kept);
        Assert.Throws<InvalidOperationException>(() => kept!.Keys);
    }

    [Fact]
    public void OneFailingObserverDoesNotStopTheOthers()
    {
        var doc = Create(1);
        var a = doc.GetArray("a");
        int second = 0;
        a.Observe((_, _) => throw new InvalidOperationException("boom"));
        a.Observe((_, _) => second++);
        Assert.Throws<InvalidOperationException>(() => a.Push(new object?[] { 1L }));
        Assert.Equal(1, second);
        Assert.Equal(1, a.Length);
    }

    [Fact]
    public void DeepEventsCarryPathsRelativeToTheObservedType()
    {
        var doc = Create(1);
        var root = doc.GetMap("root");
        var list = new YArray();
        root.Set("list", list);
        var leaf = new YMap();
        list.Push(new object?[] { "x", leaf });
        var paths = new List<string>();
        var targets = new List<AbstractType>();
        root.ObserveDeep((es, _) =>
        {
            foreach (var e in es)
            {
                paths.Add(TypeTestJson.Value(e.Path.ToList()));
                targets.Add(e.CurrentTarget);
            }
        });
        leaf.Set("deep", true);
        Assert.Equal(new[] { """["list",1]""" }, paths);
        Assert.Same(root, targets[0]);
        Assert.Same(root, list.Parent);
        Assert.Same(doc, leaf.Doc);
    }

    [Fact]
    public void UnknownTypeRefInAnUpdateIsAFormatError()
    {
        // yjs encodes `getArray('a').push([new Y.Array()])` by client 2 as 01 01 02 00 07 01 01 61 00 00:
        // one client, one struct, ContentType (info 7) under root key "a", type ref 0, empty delete set.
        var good = Create(2);
        good.GetArray("a").Push(new object?[] { new YArray() });
        byte[] update = Y.EncodeStateAsUpdate(good);
        Assert.Equal("01010200070101610000", Convert.ToHexString(update).ToLowerInvariant());

        var bad = (byte[])update.Clone();
        bad[8] = 9;
        var doc = Create(1);
        Assert.Throws<UpdateFormatException>(() => Y.ApplyUpdate(doc, bad));
        Assert.Equal(0, doc.GetArray("a").Length);

        Y.ApplyUpdate(doc, update);
        Assert.IsType<YArray>(doc.GetArray("a").Get(0));
    }
}
