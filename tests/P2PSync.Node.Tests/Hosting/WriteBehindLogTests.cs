using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Crdt.Core;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>The hub's background committer: order, durability waits, retries, shutdown.</summary>
public sealed class WriteBehindLogTests
{
    [Fact]
    public async Task EntriesAreCommittedInQueueOrder_AndWhenDurableWaitsForThem()
    {
        var persistence = new ScriptedPersistence();
        await using var log = new WriteBehindLog(persistence, NullLogger.Instance);
        var stored = new List<(string, int)>();
        log.Stored += (doc, count) =>
        {
            lock (stored)
            {
                stored.Add((doc, count));
            }
        };

        for (var i = 0; i < 100; i++)
        {
            log.Enqueue([Entry(i % 2 == 0 ? "a" : "b", i)]);
        }

        await log.WhenDurableAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), persistence.Committed.Select(c => c.Update[0]));
        lock (stored)
        {
            Assert.Equal(50, stored.Where(s => s.Item1 == "a").Sum(s => s.Item2));
            Assert.Equal(50, stored.Where(s => s.Item1 == "b").Sum(s => s.Item2));
        }
    }

    [Fact]
    public async Task WhenNothingIsQueued_WhenDurableCompletesAtOnce()
    {
        await using var log = new WriteBehindLog(new ScriptedPersistence(), NullLogger.Instance);

        Assert.True(log.WhenDurableAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task TransientFailure_IsRetried_AndTheWaiterCompletesOnlyOnceEverythingIsStoredInOrder()
    {
        var persistence = new ScriptedPersistence { TransientFailures = 2 };
        await using var log = new WriteBehindLog(persistence, NullLogger.Instance);

        log.Enqueue([Entry("a", 1), Entry("a", 2)]);
        var first = log.WhenDurableAsync();
        log.Enqueue([Entry("a", 3)]);

        // The waiter is not failed by the transient errors (the caller would retry a change that is
        // going to be stored anyway); it completes once the retries got everything in, in order.
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await log.WhenDurableAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3], persistence.Committed.Select(c => (int)c.Update[0]));
    }

    [Fact]
    public async Task AThrowingStoredSubscriber_DoesNotStopTheLog()
    {
        var persistence = new ScriptedPersistence();
        await using var log = new WriteBehindLog(persistence, NullLogger.Instance);
        log.Stored += (_, _) => throw new InvalidOperationException("subscriber bug");

        log.Enqueue([Entry("a", 1)]);
        await log.WhenDurableAsync().WaitAsync(TimeSpan.FromSeconds(10));
        log.Enqueue([Entry("a", 2)]);
        await log.WhenDurableAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, persistence.Committed.Count);
    }

    [Fact]
    public async Task AStoreThatKeepsFailing_DoesNotKeepShutdownWaiting()
    {
        var persistence = new ScriptedPersistence { TransientFailures = int.MaxValue };
        var log = new WriteBehindLog(persistence, NullLogger.Instance);
        log.Enqueue([Entry("a", 1)]);
        var waiter = log.WhenDurableAsync();

        await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<StoreIOException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Empty(persistence.Committed);
    }

    [Fact]
    public async Task RefusedBatch_IsDropped_AndLaterOnesStillCommit()
    {
        var persistence = new ScriptedPersistence { RefuseNext = true };
        await using var log = new WriteBehindLog(persistence, NullLogger.Instance);

        var refused = log.Enqueue([Entry("a", 1)]);
        await Assert.ThrowsAsync<InvalidStoreInputException>(() => log.WhenDurableAsync(refused).WaitAsync(TimeSpan.FromSeconds(10)));
        var kept = log.Enqueue([Entry("a", 2)]);
        await log.WhenDurableAsync(kept).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([2], persistence.Committed.Select(c => (int)c.Update[0]));

        // Asking again after the fact gives the same answers: a dropped entry is never reported as stored.
        await Assert.ThrowsAsync<InvalidStoreInputException>(() => log.WhenDurableAsync(refused));
        await log.WhenDurableAsync(kept);
    }

    [Fact]
    public async Task Dispose_CommitsWhatIsStillQueued_ThenRefusesMore()
    {
        var persistence = new ScriptedPersistence { CommitDelay = TimeSpan.FromMilliseconds(50) };
        var log = new WriteBehindLog(persistence, NullLogger.Instance);
        for (var i = 0; i < 20; i++)
        {
            log.Enqueue([Entry("a", i)]);
        }

        await log.DisposeAsync();

        Assert.Equal(20, persistence.Committed.Count);
        Assert.Throws<ObjectDisposedException>(() => log.Enqueue([Entry("a", 99)]));
    }

    private static PendingAppend Entry(string docId, int marker) => new(docId, [(byte)marker], "test", null);

    /// <summary>Records commits; can fail a number of times (transient) or refuse one batch.</summary>
    private sealed class ScriptedPersistence : IDocumentPersistence
    {
        private readonly Lock _gate = new();
        private readonly List<(string DocId, byte[] Update)> _committed = [];

        public int TransientFailures { get; set; }

        public bool RefuseNext { get; set; }

        public TimeSpan CommitDelay { get; set; }

        public IReadOnlyList<(string DocId, byte[] Update)> Committed
        {
            get
            {
                lock (_gate)
                {
                    return [.. _committed];
                }
            }
        }

        public IReadOnlyDictionary<string, long> AppendBatch(IReadOnlyList<(string DocId, byte[] Update, string Origin)> entries)
        {
            Thread.Sleep(CommitDelay);
            lock (_gate)
            {
                if (TransientFailures > 0)
                {
                    TransientFailures--;
                    throw new IOException("disk full");
                }

                if (RefuseNext)
                {
                    RefuseNext = false;
                    throw new InvalidStoreInputException("update", "refused by the test");
                }

                _committed.AddRange(entries.Select(e => (e.DocId, e.Update)));
                return entries.GroupBy(e => e.DocId).ToDictionary(g => g.Key, g => (long)g.Count());
            }
        }

        public DocumentRecord Create(string name, P2PSync.Node.Security.Spaces.SpaceId space) => throw new NotSupportedException();

        public (DocumentRecord Record, bool Changed) Accept(DocumentRecord announced) => throw new NotSupportedException();

        public DocumentRecord Rename(string id, string name) => throw new NotSupportedException();

        public IReadOnlyList<DocumentRecord> List() => [];

        public DocumentRecord? Get(string id) => null;

        public long AppendUpdate(string docId, byte[] update, string origin) => throw new NotSupportedException();

        public long HeadSeq(string docId) => 0;

        public Doc LoadDoc(string docId) => throw new NotSupportedException();
    }
}
