using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

public sealed class TransactionTests
{
    [Fact]
    public void DocEvents_FireOncePerTransactionInYjsOrder()
    {
        var d = NewDoc(1);
        var log = new List<string>();
        d.BeforeAllTransactions += (_, _) => log.Add("beforeAll");
        d.BeforeTransaction += (_, _) => log.Add("before");
        d.BeforeObserverCalls += (_, _) => log.Add("beforeObservers");
        d.AfterTransaction += (_, _) => log.Add("after");
        d.AfterTransactionCleanup += (_, _) => log.Add("cleanup");
        d.Update += (_, e) => log.Add("update:" + e.Origin);
        d.UpdateV2 += (_, _) => log.Add("updateV2");
        d.AfterAllTransactions += (_, e) => log.Add("afterAll:" + e.Transactions.Count);
        var t = d.GetText("t");
        t.Observe((_, _) => log.Add("observe"));

        d.Transact(_ =>
        {
            t.Insert(0, "a");
            d.Transact(_ => t.Insert(1, "b"));
        }, origin: "me");

        Assert.Equal(new[] { "beforeAll", "before", "beforeObservers", "observe", "after", "cleanup", "update:me", "updateV2", "afterAll:1" }, log);
        Assert.Equal("ab", t.ToString());
    }

    [Fact]
    public void TransactionWithoutChanges_EmitsNoUpdate()
    {
        var d = NewDoc(1);
        var updates = 0;
        d.Update += (_, _) => updates++;
        d.Transact(_ => { });
        Assert.Equal(0, updates);
    }

    [Fact]
    public void ChangesMadeByObservers_RunInAFollowUpTransaction()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        var m = d.GetMap("m");
        var origins = new List<object?>();
        d.Update += (_, e) => origins.Add(e.Origin);
        t.Observe((_, _) =>
        {
            if (!m.Has("seen"))
            {
                d.Transact(_ => m.Set("seen", true), origin: "observer");
            }
        });
        var transactions = 0;
        d.AfterAllTransactions += (_, e) => transactions = e.Transactions.Count;

        t.Insert(0, "x");

        Assert.Equal(new object?[] { null, "observer" }, origins);
        Assert.Equal(2, transactions);
        Assert.True((bool)m.Get("seen")!);
    }

    [Fact]
    public void DeepObservers_SeeNestedEventsSortedByPath()
    {
        var d = NewDoc(1);
        var root = d.GetMap("root");
        var inner = new YArray();
        root.Set("inner", inner);
        var paths = new List<string>();
        root.ObserveDeep((events, _) =>
        {
            foreach (var e in events)
            {
                paths.Add(string.Join("/", e.Path));
            }
        });

        d.Transact(_ =>
        {
            inner.Push(new object?[] { 1L });
            root.Set("other", 2L);
        });

        Assert.Equal(new[] { "", "inner" }, paths);
    }

    [Fact]
    public void ObserverExceptions_DoNotSkipCleanup()
    {
        var d = NewDoc(1);
        var t = d.GetText("t");
        var updates = 0;
        d.Update += (_, _) => updates++;
        var fail = true;
        t.Observe((_, _) =>
        {
            if (fail)
            {
                fail = false;
                throw new InvalidOperationException("observer failed");
            }
        });
        Assert.Throws<InvalidOperationException>(() => t.Insert(0, "x"));
        Assert.Equal(1, updates);
        Assert.Empty(d.TransactionCleanups);
        Assert.Null(d.Transaction);
        t.Insert(1, "y");
        Assert.Equal("xy", t.ToString());
    }

    [Fact]
    public void RemoteUpdateUsingOurClientId_ChangesOurClientId()
    {
        var a = NewDoc(1);
        var b = NewDoc(1);
        a.GetText("t").Insert(0, "a");
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a));
        Assert.NotEqual(1UL, b.ClientId);
        Assert.Equal(1UL, a.ClientId);
    }

    [Fact]
    public void RemoteTransactions_AreNotLocalAndCarryTheOrigin()
    {
        var a = NewDoc(1);
        var b = NewDoc(2);
        a.GetText("t").Insert(0, "a");
        bool? local = null;
        object? origin = null;
        b.AfterTransaction += (_, e) =>
        {
            local = e.Transaction.Local;
            origin = e.Transaction.Origin;
        };
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a), "net");
        Assert.False(local);
        Assert.Equal("net", origin);
    }

    [Fact]
    public void PlaceholderRootType_BecomesTheRequestedTypeLater()
    {
        var a = NewDoc(1);
        a.GetText("t").Insert(0, "hello");
        var b = NewDoc(2);
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a));
        Assert.Equal("hello", b.GetText("t").ToString());
        Assert.Throws<InvalidOperationException>(() => b.GetArray("t"));
    }

    [Fact]
    public void ClientIds_AreRandomWhenNotGiven()
    {
        var ids = Enumerable.Range(0, 8).Select(_ => new Doc().ClientId).ToHashSet();
        Assert.True(ids.Count > 1);
        Assert.All(ids, id => Assert.True(id <= uint.MaxValue));
    }

    [Fact]
    public void Subdocs_AreAddedAndRemovedWithEvents()
    {
        var d = NewDoc(1);
        var events = new List<SubdocsEventArgs>();
        d.SubdocsChanged += (_, e) => events.Add(e);
        var sub = new Doc(new DocOptions { Guid = "sub-guid" });
        var a = d.GetArray("a");
        a.Push(new object?[] { sub });
        Assert.Single(events);
        Assert.Contains(sub, events[0].Added);
        Assert.Contains(sub, events[0].Loaded);
        Assert.Contains(sub, d.GetSubdocs());
        Assert.Equal(d.ClientId, sub.ClientId);

        var remote = NewDoc(2);
        var remoteEvents = new List<SubdocsEventArgs>();
        remote.SubdocsChanged += (_, e) => remoteEvents.Add(e);
        Y.ApplyUpdate(remote, Y.EncodeStateAsUpdate(d));
        Assert.Equal(new[] { "sub-guid" }, remote.GetSubdocGuids());
        Assert.Single(remoteEvents);
        Assert.Empty(remoteEvents[0].Loaded);

        a.Delete(0, 1);
        // As in yjs: the deletion removes it, then destroying it removes it once more.
        Assert.Equal(3, events.Count);
        Assert.Contains(sub, events[1].Removed);
        Assert.Contains(sub, events[2].Removed);
        Assert.Empty(d.GetSubdocs());
        Assert.True(sub.IsDestroyed);
    }
}
