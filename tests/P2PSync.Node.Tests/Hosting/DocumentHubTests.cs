using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

public sealed class DocumentHubTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly NodeStore _store;
    private readonly DocumentHub _hub;

    public DocumentHubTests()
    {
        _store = NodeHost.OpenStore(_dir.Path, TimeProvider.System);
        _hub = new DocumentHub(new StoreDocumentPersistence(_store.Documents, TestDevices.Make(1)), new Lock());
    }

    [Fact]
    public async Task Updated_FiresBeforeTheCommit_ButIsDurableWhenWhenDurableAsyncCompletes()
    {
        var doc = _hub.Create("d", "test");
        var headAtEvent = -1L;
        _hub.Updated += u => headAtEvent = _hub.HeadSeq(u.DocId);

        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "hi"), "test");

        // The relay does not wait for the fsync, yet already sees the seq the commit gives the update.
        Assert.Equal(1, headAtEvent);
        await _hub.WhenDurableAsync();
        Assert.Equal(1, _store.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal("hi", _store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public async Task ApplyUpdate_DuplicateIsNeitherStoredNorAnnounced()
    {
        var doc = _hub.Create("d", "test");
        var update = UpdateWith(1, "abc");
        var announced = 0;
        _hub.Updated += _ => announced++;

        Assert.NotNull(_hub.ApplyUpdate(doc.Id, update, "peer"));
        Assert.Null(_hub.ApplyUpdate(doc.Id, update, "peer"));

        Assert.Equal(1, announced);
        await _hub.WhenDurableAsync();
        Assert.Equal(1, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public async Task ApplyUpdate_PendingStructsAreStoredButNotAnnounced_ThenAnnouncedWhenCompleted()
    {
        var doc = _hub.Create("d", "test");
        var source = new Doc(new DocOptions { ClientId = 5 });
        var updates = new List<byte[]>();
        source.Update += (_, e) => updates.Add(e.Update);
        source.GetText("text").Insert(0, "a");
        source.GetText("text").Insert(1, "b");
        var announced = new List<byte[]>();
        _hub.Updated += u => announced.Add(u.Update);

        Assert.Null(_hub.ApplyUpdate(doc.Id, updates[1], "peer"));
        Assert.Empty(announced);
        await _hub.WhenDurableAsync();
        Assert.Equal(1, _store.Documents.Get(doc.Id)!.HeadSeq);

        Assert.NotNull(_hub.ApplyUpdate(doc.Id, updates[0], "peer"));
        Assert.Single(announced);
        Assert.Equal("ab", _hub.Read(doc.Id, d => TextEdits.Read(d, "text")));
        await _hub.WhenDurableAsync();
        Assert.Equal("ab", _store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public async Task ApplyUpdate_SeededMutations_ThrowFormatErrorsOnlyAndLeaveDocAndLogIntact()
    {
        var doc = _hub.Create("d", "test");
        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "stable"), "test");
        var valid = UpdateWith(9, "xyz");
        var random = new Random(31337);
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            await _hub.WhenDurableAsync();
            var before = _store.Documents.Get(doc.Id)!.HeadSeq;
            try
            {
                _hub.ApplyUpdate(doc.Id, bytes, "fuzz");
            }
            catch (UpdateFormatException)
            {
                await _hub.WhenDurableAsync();
                Assert.Equal(before, _store.Documents.Get(doc.Id)!.HeadSeq);
            }

            Assert.Contains("stable", _hub.Read(doc.Id, d => TextEdits.Read(d, "text")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AThrowingSubscriber_NeitherKeepsTheChangeFromTheOthersNorFromTheStore()
    {
        var doc = _hub.Create("d", "test");
        var seen = 0;
        _hub.Updated += _ => throw new InvalidOperationException("subscriber bug");
        _hub.Updated += _ => seen++;

        Assert.NotNull(_hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "kept"), "test"));

        Assert.Equal(1, seen);
        await _hub.WhenDurableAsync();
        Assert.Equal("kept", _store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void UnknownDocument_IsATypedError()
    {
        Assert.Throws<UnknownDocumentException>(() => _hub.Edit("nope", _ => { }, "test"));
        Assert.Throws<UnknownDocumentException>(() => _hub.ApplyUpdate("nope", UpdateWith(1, "a"), "test"));
        Assert.Null(_hub.Get("not a valid id"));
    }

    public void Dispose()
    {
        _hub.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
        _dir.Dispose();
    }

    private static byte[] UpdateWith(ulong client, string text)
    {
        var doc = new Doc(new DocOptions { ClientId = client });
        doc.GetText("text").Insert(0, text);
        return Y.EncodeStateAsUpdate(doc);
    }
}
