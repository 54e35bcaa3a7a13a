using P2PSync.Crdt;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

/// <summary>One NodeStore shared by many threads, as the host uses it.</summary>
public sealed class ConcurrentAccessTests
{
    [Fact]
    public async Task ManyThreads_AppendReadAndList_SeqsStayDenseAndUnique()
    {
        using var fixture = new StoreFixture();
        var docs = Enumerable.Range(0, 2).Select(i => fixture.Documents.Create($"doc {i}")).ToArray();
        var writers = Enumerable.Range(0, 4).Select(w => new TextUpdates(clientId: (ulong)(10 + w))).ToArray();
        var seqs = new List<long>[writers.Length];

        var appenders = writers.Select((edits, w) => Task.Run(() =>
        {
            var mine = seqs[w] = [];
            for (var i = 0; i < 40; i++)
            {
                mine.Add(fixture.Documents.AppendUpdate(docs[w % 2].Id, edits.Append($"{w}.{i};"), null));
            }
        })).ToArray();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            while (!appenders.All(t => t.IsCompleted))
            {
                Assert.Equal(2, fixture.Documents.List().Count);
                fixture.Documents.LoadDoc(docs[r].Id);
            }
        })).ToArray();

        await Task.WhenAll([.. appenders, .. readers]);

        for (var d = 0; d < 2; d++)
        {
            var used = seqs.Where((_, w) => w % 2 == d).SelectMany(s => s).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), used);
            var reference = new P2PSync.Crdt.Core.Doc();
            foreach (var edits in writers.Where((_, w) => w % 2 == d))
            {
                Y.ApplyUpdate(reference, edits.State);
            }

            Assert.Equal(TextUpdates.TextOf(reference), TextUpdates.TextOf(fixture.Documents.LoadDoc(docs[d].Id)));
        }
    }

    [Fact]
    public void Dispose_ClosesEveryConnection_SoTheFileCanBeReopenedExclusively()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        Parallel.For(0, 8, i => fixture.Documents.LoadDoc(doc.Id));
        fixture.Store.Dispose();

        // With every handle closed, the last close checkpointed and removed the WAL.
        Assert.False(File.Exists(fixture.Path + "-wal"));
        Assert.Throws<ObjectDisposedException>(() => fixture.Documents.List());
        fixture.Reopen();
        Assert.Equal("notes", fixture.Documents.Get(doc.Id)!.Name);
    }
}
