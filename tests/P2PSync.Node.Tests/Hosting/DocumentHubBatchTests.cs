using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>Group commit: <see cref="DocumentHub.Batch{T}"/>, the store's AppendBatch and the cached full state.</summary>
public sealed class DocumentHubBatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly NodeStore _store;
    private readonly CountingPersistence _persistence;
    private readonly DocumentHub _hub;

    public DocumentHubBatchTests()
    {
        _store = NodeHost.OpenStore(_dir.Path, TimeProvider.System);
        _persistence = new CountingPersistence(new StoreDocumentPersistence(_store.Documents, TestDevices.Make(1)));
        _hub = new DocumentHub(_persistence, new Lock());
    }

    [Fact]
    public async Task Batch_StoresEveryUpdateInOneCommit_AnnouncedAsOneMergedChangeJustBeforeIt()
    {
        var doc = _hub.Create("d", "test");
        var updates = Keystrokes(client: 7, count: 50);
        var announcedSeqs = new List<long>();
        var announced = new List<byte[]>();
        _hub.Updated += u =>
        {
            announcedSeqs.Add(_hub.HeadSeq(u.DocId));
            announced.Add(u.Update);
        };

        _hub.Batch(() =>
        {
            foreach (var update in updates)
            {
                _hub.ApplyUpdate(doc.Id, update, "ws");
            }

            // Nothing is announced (relayed) before the batch ends.
            Assert.Empty(announcedSeqs);
            return 0;
        });

        await _hub.WhenDurableAsync();
        Assert.Equal(1, _persistence.Commits);

        // One source, one document: the burst is relayed as one merged update, announced without
        // waiting for the commit (the relay never waits for an fsync), already carrying the seq
        // the commit gives it.
        Assert.Equal([50L], announcedSeqs);
        Assert.Equal(Text(updates), Text(announced));
        Assert.Equal(50, _hub.HeadSeq(doc.Id));
        Assert.Equal(Text(updates), _store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public async Task Batch_ChangesFromDifferentSources_AreAnnouncedSeparatelyInOrder()
    {
        var doc = _hub.Create("d", "test");
        var fromA = Keystrokes(client: 21, count: 2);
        var fromB = Keystrokes(client: 22, count: 1);
        var sources = new List<object>();
        _hub.Updated += u => sources.Add(u.Source);

        _hub.Batch(() =>
        {
            _hub.ApplyUpdate(doc.Id, fromA[0], "a");
            _hub.ApplyUpdate(doc.Id, fromA[1], "a");
            _hub.ApplyUpdate(doc.Id, fromB[0], "b");
            return 0;
        });

        Assert.Equal(["a", "b"], sources);
        await _hub.WhenDurableAsync();
        Assert.Equal(3, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public async Task Batch_SpanningDocumentsAndEdits_KeepsEachDocumentsOrderAndSeqs()
    {
        var first = _hub.Create("a", "test");
        var second = _hub.Create("b", "test");

        _hub.Batch(() =>
        {
            _hub.Edit(first.Id, d => TextEdits.Append(d, "text", "one "), "api");
            _hub.Edit(second.Id, d => TextEdits.Append(d, "text", "x"), "api");
            _hub.Edit(first.Id, d => TextEdits.Append(d, "text", "two"), "api");
            return 0;
        });

        await _hub.WhenDurableAsync();
        Assert.Equal(1, _persistence.Commits);
        Assert.Equal(2, _store.Documents.Get(first.Id)!.HeadSeq);
        Assert.Equal(1, _store.Documents.Get(second.Id)!.HeadSeq);
        Assert.Equal("one two", _store.Documents.LoadDoc(first.Id).GetText("text").ToString());
        Assert.Equal("x", _store.Documents.LoadDoc(second.Id).GetText("text").ToString());
    }

    [Fact]
    public async Task Batch_BadUpdateInTheMiddle_KeepsAndAnnouncesWhatCameBefore_ThenThrows()
    {
        var doc = _hub.Create("d", "test");
        var updates = Keystrokes(client: 3, count: 4);
        var announced = 0;
        _hub.Updated += _ => announced++;

        Assert.Throws<UpdateFormatException>(() => _hub.Batch(() =>
        {
            _hub.ApplyUpdate(doc.Id, updates[0], "ws");
            _hub.ApplyUpdate(doc.Id, updates[1], "ws");
            _hub.ApplyUpdate(doc.Id, [0xff, 0xff, 0xff], "ws");
            return 0;
        }));

        Assert.Equal(1, announced);
        await _hub.WhenDurableAsync();
        Assert.Equal(2, _store.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal(Text(updates[..2]), _store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public async Task Batch_SeededMutatedUpdates_StoreExactlyTheValidOnes_AndTheStoreMatchesTheLiveDoc()
    {
        var doc = _hub.Create("d", "test");
        var random = new Random(4242);
        var updates = Keystrokes(client: 11, count: 200);
        var next = 0;
        var rejected = 0;
        while (next < updates.Count)
        {
            var size = random.Next(1, 20);
            try
            {
                _hub.Batch(() =>
                {
                    for (var i = 0; i < size && next < updates.Count; i++)
                    {
                        if (random.Next(5) == 0)
                        {
                            var bytes = (byte[])updates[next].Clone();
                            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                            try
                            {
                                _hub.ApplyUpdate(doc.Id, bytes, "fuzz");
                            }
                            catch (UpdateFormatException)
                            {
                                rejected++;
                                throw;
                            }
                        }

                        _hub.ApplyUpdate(doc.Id, updates[next++], "ws");
                    }

                    return 0;
                });
            }
            catch (UpdateFormatException)
            {
                // The batch ended early; what it applied before the bad update is stored.
            }
        }

        Assert.True(rejected > 0, "seed 4242 should produce some malformed updates");
        var live = _hub.Read(doc.Id, Y.EncodeStateVector);
        await _hub.WhenDurableAsync();
        var stored = _store.Documents.LoadDoc(doc.Id);
        Assert.Equal(live, Y.EncodeStateVector(stored));
        Assert.Equal(_hub.Read(doc.Id, d => TextEdits.Read(d, "text")), stored.GetText("text").ToString());
    }

    [Fact]
    public void AppendBatch_OneBadEntry_StoresNone()
    {
        var doc = _hub.Create("d", "test");
        var good = Keystrokes(client: 5, count: 1)[0];

        Assert.Throws<InvalidStoreInputException>(() => _store.Documents.AppendBatch([(doc.Id, good, "x"), (doc.Id, [], "x")]));
        Assert.Throws<DocumentNotFoundException>(() => _store.Documents.AppendBatch([(doc.Id, good, "x"), ("0123456789abcdef0123456789abcdef", good, "x")]));
        Assert.Throws<InvalidStoreInputException>(() => _store.Documents.AppendBatch([]));

        Assert.Equal(0, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public void AppendBatch_AppliedByCaller_SkipsOnlyTheDecode_NotTheOtherChecks()
    {
        var doc = _hub.Create("d", "test");
        var good = Keystrokes(client: 5, count: 1)[0];

        // The hub's path: the update was applied to a live doc already, so it is not decoded again...
        Assert.Equal(1, _store.Documents.AppendBatch([(doc.Id, good, "x")], appliedByCaller: true)[doc.Id]);

        // ...but ids, sizes and origins are still checked, and the default path still decodes.
        Assert.Throws<InvalidStoreInputException>(() => _store.Documents.AppendBatch([(doc.Id, [], "x")], appliedByCaller: true));
        Assert.Throws<DocumentNotFoundException>(() => _store.Documents.AppendBatch([("0123456789abcdef0123456789abcdef", good, "x")], appliedByCaller: true));
        Assert.Throws<InvalidStoreInputException>(() => _store.Documents.AppendBatch([(doc.Id, good, "bad\norigin")], appliedByCaller: true));
        Assert.Throws<InvalidStoreInputException>(() => _store.Documents.AppendBatch([(doc.Id, [0xff, 0xff, 0xff], "x")]));
        Assert.Equal(1, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public void EncodeDiff_FullStateIsCachedUntilTheDocumentChanges()
    {
        var doc = _hub.Create("d", "test");
        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "hello"), "api");
        byte[] emptyStateVector = [0];

        var first = _hub.EncodeDiff(doc.Id, emptyStateVector);
        Assert.Same(first, _hub.EncodeDiff(doc.Id, emptyStateVector));
        Assert.Equal(_hub.Read(doc.Id, d => Y.EncodeStateAsUpdate(d)), first);

        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", " world"), "api");
        var second = _hub.EncodeDiff(doc.Id, emptyStateVector);

        Assert.NotSame(first, second);
        var fresh = new Doc();
        Y.ApplyUpdate(fresh, second);
        Assert.Equal("hello world", fresh.GetText("text").ToString());
    }

    public void Dispose()
    {
        _hub.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
        _dir.Dispose();
    }

    /// <summary>One update per typed character, as an editor sends them.</summary>
    private static List<byte[]> Keystrokes(ulong client, int count)
    {
        var doc = new Doc(new DocOptions { ClientId = client });
        var updates = new List<byte[]>();
        doc.Update += (_, e) => updates.Add(e.Update);
        for (var i = 0; i < count; i++)
        {
            doc.GetText("text").Insert(i, ((char)('a' + (i % 26))).ToString());
        }

        return updates;
    }

    private static string Text(IEnumerable<byte[]> updates)
    {
        var doc = new Doc();
        foreach (var update in updates)
        {
            Y.ApplyUpdate(doc, update);
        }

        return doc.GetText("text").ToString();
    }
}
