using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

public sealed class LogCompactorTests
{
    [Fact]
    public async Task EveryThresholdUpdates_TheLogIsFoldedIntoTheSnapshot_AndNothingIsLost()
    {
        using var dir = new TempDirectory();
        using var store = NodeHost.OpenStore(dir.Path, TimeProvider.System);
        var hub = new DocumentHub(new StoreDocumentPersistence(store.Documents, TestDevices.Make(1)), new Lock());
        var compactions = 0;
        var doc = hub.Create("d", "test");
        await using (new LogCompactor(hub, id => { Interlocked.Increment(ref compactions); return store.Documents.Compact(id).MergedUpdates; }, 10, NullLogger.Instance))
        {
            for (var i = 0; i < 25; i++)
            {
                hub.Edit(doc.Id, d => TextEdits.Append(d, "text", $"{i % 10}"), "test");
                if (i % 10 == 9)
                {
                    // Let the background compaction run, so the next batch counts from zero.
                    var expected = (i + 1) / 10;
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    while (Volatile.Read(ref compactions) < expected || store.Documents.Get(doc.Id)!.SnapshotSeq < expected * 10)
                    {
                        await Task.Delay(5, timeout.Token);
                    }
                }
            }
        }

        await hub.DisposeAsync();
        Assert.Equal(2, compactions);
        var info = store.Documents.Get(doc.Id)!;
        Assert.Equal(25, info.HeadSeq);
        Assert.Equal(20, info.SnapshotSeq);
        Assert.Equal("0123456789012345678901234", store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }
}
