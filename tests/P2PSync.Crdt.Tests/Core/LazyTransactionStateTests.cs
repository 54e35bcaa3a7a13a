using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>
/// Transactions create their state vectors and events lazily; these pin down the cases where
/// laziness could observably differ from Yjs's eager copies.
/// </summary>
public sealed class LazyTransactionStateTests
{
    [Fact]
    public void DeepObserverAddedByAnEarlierObserver_GetsEventsOfTypesNobodyListenedTo()
    {
        // yjs 13.6.33 prints ["a",["t:[{\"insert\":\"x\"}]"]] for the same script: the event of t
        // (no listener when its observers ran) still reaches the deep observer that a's observer adds.
        var d = NewDoc(1);
        var m = d.GetMap("m");
        var a = d.GetText("a");
        var t = new YText();
        m.Set("t", t);
        var calls = new List<string>();
        a.Observe((_, _) =>
        {
            if (calls.Count == 0)
            {
                m.ObserveDeep((events, _) => calls.Add(string.Join(",", events.Select(e => $"{string.Join("/", e.Path)}:{e.Delta.Count}:{e.Delta[0].Insert}"))));
            }
            calls.Add("a");
        });

        d.Transact(_ =>
        {
            t.Insert(0, "x");
            a.Insert(0, "y");
        });

        Assert.Equal(["a", "t:1:x"], calls);
    }

    [Fact]
    public void EventKeptPastItsTransaction_StillKnowsWhatTheTransactionAdded()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        t.Insert(0, "ab");
        YTextEvent? kept = null;
        t.Observe((e, _) => kept ??= (YTextEvent)e);
        t.Insert(1, "X");
        // Later transactions move the clock on. Yjs computes a late delta against the transaction's
        // copied before-state, so everything from "X" on counts as inserted; yjs 13.6.33 gives
        // [{"insert":"and moremore"},{"retain":1},{"insert":"X"}] for the same script.
        t.Insert(0, "more");
        t.Insert(0, "and more");

        var delta = kept!.Delta;
        Assert.Equal(3, delta.Count);
        Assert.Equal("and moremore", delta[0].Insert);
        Assert.Equal(1, delta[1].Retain);
        Assert.Equal("X", delta[2].Insert);
    }

    [Fact]
    public void UpdateOfATransaction_IncludesStructsAddedByItsObservers()
    {
        // Yjs writes an update from the transaction's before-state to the store's state at
        // cleanup, so structs that observers add in follow-up transactions appear in it as well.
        var d = NewDoc(1);
        var t = d.GetText("t");
        var other = d.GetText("other");
        var updates = new List<byte[]>();
        d.Update += (_, e) => updates.Add(e.Update);
        t.Observe((_, _) =>
        {
            if (other.Length == 0)
            {
                other.Insert(0, "echo");
            }
        });

        t.Insert(0, "hi");

        Assert.Equal(2, updates.Count);
        var fromFirst = NewDoc(2);
        Y.ApplyUpdate(fromFirst, updates[0], null);
        Assert.Equal("hi", fromFirst.GetText("t").ToString());
        Assert.Equal("echo", fromFirst.GetText("other").ToString());
    }

    [Fact]
    public void RemoteUpdateWithManyClients_IntegratesAndReportsEveryClient()
    {
        // More clients than the linear lookup handles, so the transaction builds its index.
        var source = new List<byte[]>();
        for (ulong client = 1; client <= 20; client++)
        {
            var peer = NewDoc(client);
            peer.GetText("t").Insert(0, client.ToString());
            source.Add(Y.EncodeStateAsUpdate(peer));
        }
        var d = NewDoc(100);
        byte[]? update = null;
        d.Update += (_, e) => update = e.Update;
        Y.ApplyUpdate(d, Y.MergeUpdates(source), null);

        var sv = Y.DecodeStateVector(Y.EncodeStateVectorFromUpdate(update!));
        Assert.Equal(20, sv.Count);
        Assert.Equal(Y.EncodeStateAsUpdate(d), Y.MergeUpdates([update!]));
    }

    [Fact]
    public void ManyChangedTypes_AreObservedInFirstChangeOrder_WithoutTheDeletedOnes()
    {
        // More changed types than the linear lookup handles, and one of them (a nested array) is
        // deleted in the same transaction: it must vanish from the observer calls, the rest keep
        // the order in which they first changed. yjs 13.6.33 gives the same calls for this script.
        var d = NewDoc(1);
        var calls = new List<string>();
        var maps = new List<YMap>();
        for (var i = 0; i < 12; i++)
        {
            var name = "m" + i;
            var map = d.GetMap(name);
            map.Observe((e, _) => calls.Add(name + ":" + string.Join(",", ((YMapEvent)e).KeysChanged.OrderBy(k => k))));
            maps.Add(map);
        }
        var nested = maps[3].Set("a", new YArray());
        nested.Observe((_, _) => calls.Add("nested"));
        calls.Clear();

        d.Transact(_ =>
        {
            for (var i = 11; i >= 0; i--)
            {
                maps[i].Set("k", (long)i);
                if (i == 5)
                {
                    nested.Push([1L]);
                }
            }
            maps[3].Delete("a");
            maps[11].Set("z", true);
        });

        var expected = Enumerable.Range(0, 12).Reverse().Select(i => i == 3 ? "m3:a,k" : i == 11 ? "m11:k,z" : $"m{i}:k");
        Assert.Equal(expected, calls);
    }
}
