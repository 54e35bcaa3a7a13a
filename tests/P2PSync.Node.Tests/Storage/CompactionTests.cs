using System.Collections.Concurrent;
using P2PSync.Crdt;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class CompactionTests
{
    [Fact]
    public void Compact_FoldsLogIntoSnapshot_AndSeqsContinueAfterIt()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 1);
        for (var i = 0; i < 20; i++)
        {
            fixture.Documents.AppendUpdate(doc.Id, edits.Append($"{i},"), "local");
        }

        var first = fixture.Documents.Compact(doc.Id);

        Assert.Equal(new CompactionResult(doc.Id, 20, 20, first.SnapshotBytes), first);
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM update_log"));
        Assert.Equal(20L, fixture.Scalar("SELECT upto_seq FROM doc_snapshots"));
        Assert.Equal(edits.Text, TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));

        // Seqs are never reused, even though the log is now empty.
        Assert.Equal(21, fixture.Documents.AppendUpdate(doc.Id, edits.Delete(0, 2), "local"));
        Assert.Equal(new DocumentInfo(doc.Id, "notes", doc.CreatedMs, doc.NameChangedMs, doc.NameChangedBy, 21, 20), fixture.Documents.Get(doc.Id));
        Assert.Equal(edits.Text, TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));

        var second = fixture.Documents.Compact(doc.Id);
        Assert.Equal(21, second.UptoSeq);
        Assert.Equal(1, second.MergedUpdates);
        fixture.Reopen();
        Assert.Equal(edits.Text, TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Equal(Y.EncodeStateVector(edits.Doc), fixture.Documents.StateVector(doc.Id));
    }

    [Fact]
    public void Compact_NothingToDo()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("empty");

        Assert.Equal(new CompactionResult(doc.Id, 0, 0, 0), fixture.Documents.Compact(doc.Id));
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM doc_snapshots"));
    }

    [Fact]
    public void Compact_LoneLogEntry()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("one");
        fixture.Documents.AppendUpdate(doc.Id, new TextUpdates(clientId: 2).Append("solo"), null);

        Assert.Equal(1, fixture.Documents.Compact(doc.Id).MergedUpdates);
        Assert.Equal("solo", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
    }

    /// <summary>
    /// Another process (a second NodeStore: its own connections, its own write lock) appends
    /// while this one compacts over and over. Every acknowledged append must survive.
    /// </summary>
    [Fact]
    public async Task Compact_KeepsUpdatesAppendedConcurrentlyFromAnotherConnection()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("busy");
        using var other = NodeStore.Open(fixture.Path, fixture.Clock);
        var edits = new TextUpdates(clientId: 7);
        var acknowledged = new ConcurrentBag<long>();
        const int appends = 300;

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < appends; i++)
            {
                acknowledged.Add(other.Documents.AppendUpdate(doc.Id, edits.Append($"<{i}>"), "other"));
            }
        });

        var compactions = 0;
        var merged = 0;
        while (!writer.IsCompleted)
        {
            var result = fixture.Documents.Compact(doc.Id);
            compactions++;
            merged += result.MergedUpdates;
        }

        await writer;
        merged += fixture.Documents.Compact(doc.Id).MergedUpdates;

        Assert.True(compactions > 1, $"compaction ran only {compactions} time(s); the race was not exercised");
        Assert.Equal(Enumerable.Range(1, appends).Select(i => (long)i), acknowledged.Order());
        Assert.Equal(appends, merged);
        var text = TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id));
        Assert.Equal(edits.Text, text);
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM update_log"));
    }

    /// <summary>
    /// The race made deterministic: another connection holds the write lock while compaction
    /// reads and merges, then commits an append before compaction may write. The append lands
    /// between compaction's read and its write, and must stay in the log.
    /// </summary>
    [Fact]
    public async Task Compact_AppendCommittedBetweenItsReadAndItsWrite_IsKept()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("race");
        var edits = new TextUpdates(clientId: 3);
        for (var i = 0; i < 5; i++)
        {
            fixture.Documents.AppendUpdate(doc.Id, edits.Append($"{i};"), "local");
        }

        using var other = fixture.OpenRawConnection();
        using var writeLock = other.BeginTransaction(deferred: false);
        var compaction = Task.Run(() => fixture.Documents.Compact(doc.Id));

        // Compaction reads (WAL readers never wait), merges, then waits in BEGIN IMMEDIATE.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(compaction.IsCompleted);
        using (var insert = other.CreateCommand())
        {
            insert.Transaction = writeLock;
            insert.CommandText = "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($doc, 6, $u, 'other', 0)";
            insert.Parameters.AddWithValue("$doc", doc.Id);
            insert.Parameters.AddWithValue("$u", edits.Append("late"));
            insert.ExecuteNonQuery();
        }

        writeLock.Commit();
        var result = await compaction;

        Assert.Equal(new CompactionResult(doc.Id, 5, 5, result.SnapshotBytes), result);
        Assert.Equal(6L, fixture.Scalar("SELECT seq FROM update_log"));
        Assert.Equal("0;1;2;3;4;late", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Equal(new DocumentInfo(doc.Id, "race", doc.CreatedMs, doc.NameChangedMs, doc.NameChangedBy, 6, 5), fixture.Documents.Get(doc.Id));
    }

    [Fact]
    public async Task Compact_RacingCompactionsAndAppendsOnOneStore_LoseNothing()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("busy");
        var writers = Enumerable.Range(0, 3).Select(w => new TextUpdates(clientId: (ulong)(100 + w))).ToArray();
        using var done = new CancellationTokenSource();

        var appenders = writers.Select((edits, w) => Task.Run(() =>
        {
            for (var i = 0; i < 80; i++)
            {
                fixture.Documents.AppendUpdate(doc.Id, edits.Append($"[{w}:{i}]"), $"w{w}");
            }
        })).ToArray();
        var compactors = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                fixture.Documents.Compact(doc.Id);
            }
        })).ToArray();

        await Task.WhenAll(appenders);
        await done.CancelAsync();
        await Task.WhenAll(compactors);

        var reference = new P2PSync.Crdt.Core.Doc();
        foreach (var edits in writers)
        {
            Y.ApplyUpdate(reference, edits.State);
        }

        Assert.Equal(240, fixture.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal(TextUpdates.TextOf(reference), TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Equal(Y.EncodeStateVector(reference), fixture.Documents.StateVector(doc.Id));
    }
}
