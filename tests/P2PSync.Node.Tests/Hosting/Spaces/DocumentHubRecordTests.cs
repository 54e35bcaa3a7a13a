using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Sync;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting.Spaces;

/// <summary>
/// The hub signs what local clients write (one record per burst), keeps records byte for byte
/// next to the updates they carry, takes in checked records from peers, and refuses a viewer's
/// edits before they touch the document.
/// </summary>
public sealed class DocumentHubRecordTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly NodeStore _store;
    private readonly DeviceKey _key = DeviceKey.Generate();
    private readonly NodeSpaces _spaces;
    private readonly Lock _gate = new();
    private readonly Space _space;
    private bool _canWrite = true;
    private DocumentHub _hub;

    public DocumentHubRecordTests()
    {
        _store = NodeHost.OpenStore(_dir.Path, TimeProvider.System);
        _spaces = new NodeSpaces(_store.Spaces, _store.Invites, _key, _gate, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _space = _spaces.EnsurePersonal([]);
        _hub = NewHub();
    }

    [Fact]
    public async Task LocalEdit_IsSignedByThisDevice_AsSeqOne_AndTravelsWithTheAnnouncement()
    {
        var doc = _hub.Create("d", "test");
        DocumentUpdate? announced = null;
        _hub.Updated += u => announced = u;

        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "hello"), "api");

        var record = SignedRecordCodec.Decode(Assert.Single(announced!.Records));
        Assert.Equal(_key.Id, record.Author);
        Assert.Equal(1UL, record.Seq);
        Assert.Equal(_space.Id, record.Space);
        Assert.Equal(doc.Id, record.DocId);
        Assert.True(record.HasValidSignature());
        await _hub.WhenDurableAsync();
        var row = Assert.Single(_store.Documents.LoadRecords(doc.Id));
        Assert.Equal(record.Encoded, row.Record);
    }

    [Fact]
    public async Task ABurstInOneBatch_IsOneRecord_HoldingEveryUpdate()
    {
        var doc = _hub.Create("d", "test");
        var updates = Keystrokes("abcde");
        var announcements = new List<DocumentUpdate>();
        _hub.Updated += announcements.Add;

        _hub.Batch(() =>
        {
            foreach (var update in updates)
            {
                _hub.ApplyUpdate(doc.Id, update, "client");
            }

            return 0;
        });

        var record = SignedRecordCodec.Decode(Assert.Single(Assert.Single(announcements).Records));
        Assert.Equal(5, record.Updates.Count);
        Assert.Equal(1UL, record.Seq);
        await _hub.WhenDurableAsync();
        Assert.Single(_store.Documents.LoadRecords(doc.Id));
        Assert.Equal(5, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public async Task Records_SurviveARestart_AndTheNextSeqFollowsTheStoredOnes()
    {
        var doc = _hub.Create("d", "test");
        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "one"), "api");
        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "two"), "api");
        await _hub.DisposeAsync();
        _hub = NewHub();

        Assert.Equal(2UL, _hub.RecordVectorOf(doc.Id).SeqOf(_key.Id));
        _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "three"), "api");
        Assert.Equal(3UL, _hub.RecordVectorOf(doc.Id).SeqOf(_key.Id));
        Assert.Equal(3, _hub.RecordsBeyond(doc.Id, RecordVector.Empty).Count);
    }

    [Fact]
    public async Task ApplyRecords_TakesInANewRecord_SkipsADuplicate_AndRefusesAConflictingOne()
    {
        var doc = _hub.Create("d", "test");
        using var other = DeviceKey.Generate();
        var first = SignedRecord.Create(other, _space.Id, doc.Id, 1, [TextUpdate(7, "peer")]);
        var conflicting = SignedRecord.Create(other, _space.Id, doc.Id, 1, [TextUpdate(7, "forked")]);

        var intake = _hub.ApplyRecords(doc.Id, [first], "peer");
        var again = _hub.ApplyRecords(doc.Id, [first], "peer");
        var fork = _hub.ApplyRecords(doc.Id, [conflicting], "peer");

        Assert.Equal(first.Encoded, Assert.Single(intake.Accepted));
        Assert.Empty(again.Accepted);
        Assert.Empty(again.Refusals);
        Assert.Empty(fork.Accepted);
        Assert.Contains("differs", Assert.Single(fork.Refusals), StringComparison.Ordinal);
        Assert.Equal("peer", _hub.Read(doc.Id, d => d.GetText("text").ToString()));
        await _hub.WhenDurableAsync();
        Assert.Equal(first.Encoded, Assert.Single(_store.Documents.LoadRecords(doc.Id)).Record);
    }

    [Fact]
    public async Task ARecordWhoseContentTheDocumentHas_IsStillKeptAndRelayed_ButClientsGetNothing()
    {
        var doc = _hub.Create("d", "test");
        using var other = DeviceKey.Generate();
        var update = TextUpdate(9, "same");
        _hub.ApplyRecords(doc.Id, [SignedRecord.Create(other, _space.Id, doc.Id, 1, [update])], "peer");
        var second = SignedRecord.Create(other, _space.Id, doc.Id, 2, [update]);
        DocumentUpdate? announced = null;
        _hub.Updated += u => announced = u;

        var intake = _hub.ApplyRecords(doc.Id, [second], "peer");

        Assert.Single(intake.Accepted);
        Assert.Empty(announced!.Update);
        Assert.Equal(second.Encoded, Assert.Single(announced.Records));
        await _hub.WhenDurableAsync();
        Assert.Equal(2, _store.Documents.LoadRecords(doc.Id).Count);
        Assert.Equal(1, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public async Task AMalformedUpdateInsideARecord_ChangesNothing()
    {
        var doc = _hub.Create("d", "test");
        using var other = DeviceKey.Generate();
        var broken = SignedRecord.Create(other, _space.Id, doc.Id, 1, [TextUpdate(3, "ok"), [0x01, 0xff, 0xff, 0x07]]);

        Assert.ThrowsAny<UpdateFormatException>(() => _hub.ApplyRecords(doc.Id, [broken], "peer"));

        Assert.Equal("", _hub.Read(doc.Id, d => d.GetText("text").ToString()));
        await _hub.WhenDurableAsync();
        Assert.Empty(_store.Documents.LoadRecords(doc.Id));
        Assert.Equal(0UL, _hub.RecordVectorOf(doc.Id).SeqOf(other.Id));
    }

    [Fact]
    public async Task AViewersLocalEdit_IsRefused_AndNothingChangesOrIsStored()
    {
        var doc = _hub.Create("d", "test");
        _canWrite = false;

        Assert.Throws<ReadOnlyDocumentException>(() => _hub.Edit(doc.Id, d => TextEdits.Append(d, "text", "nope"), "api"));
        Assert.Throws<ReadOnlyDocumentException>(() => _hub.ApplyUpdate(doc.Id, TextUpdate(5, "nope"), "client"));
        Assert.Throws<ReadOnlyDocumentException>(() => _hub.Create("new", _space.Id, "api"));

        Assert.Equal("", _hub.Read(doc.Id, d => d.GetText("text").ToString()));
        await _hub.WhenDurableAsync();
        Assert.Empty(_store.Documents.LoadRecords(doc.Id));
        Assert.Equal(0, _store.Documents.Get(doc.Id)!.HeadSeq);
    }

    [Fact]
    public async Task ContentFromBeforeRecords_IsSignedOnce_AndAFreshReplicaRebuildsItFromTheRecordAlone()
    {
        // A hub that does not sign writes like a schema-3 node did.
        await _hub.DisposeAsync();
        var unsigned = new DocumentHub(new StoreDocumentPersistence(_store.Documents, _key.Id), _gate);
        var doc = unsigned.Create("old", _space.Id, "test");
        unsigned.Edit(doc.Id, d => TextEdits.Append(d, "text", "written before spaces"), "api");
        await unsigned.DisposeAsync();
        _hub = NewHub();

        Assert.True(_hub.SignExistingContent(doc.Id));
        Assert.False(_hub.SignExistingContent(doc.Id));

        var record = SignedRecordCodec.Decode(Assert.Single(_hub.RecordsBeyond(doc.Id, RecordVector.Empty)));
        var replica = new Doc();
        foreach (var update in record.Updates)
        {
            Y.ApplyUpdate(replica, update);
        }

        Assert.Equal("written before spaces", replica.GetText("text").ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _spaces.Dispose();
        _key.Dispose();
        _store.Dispose();
        _dir.Dispose();
    }

    private DocumentHub NewHub()
    {
        var hub = new DocumentHub(new StoreDocumentPersistence(_store.Documents, _key.Id), _gate, null, new RecordSigning(_key, _ => _canWrite));
        hub.DefaultSpace = () => _space.Id;
        return hub;
    }

    /// <summary>One update per character, typed at the end of "text" by one client.</summary>
    private static List<byte[]> Keystrokes(string text)
    {
        var doc = new Doc(new DocOptions { ClientId = 42 });
        var updates = new List<byte[]>();
        doc.Update += (_, e) => updates.Add(e.Update);
        foreach (var c in text)
        {
            doc.GetText("text").Insert(doc.GetText("text").Length, c.ToString());
        }

        return updates;
    }

    private static byte[] TextUpdate(ulong client, string text)
    {
        var doc = new Doc(new DocOptions { ClientId = client });
        doc.GetText("text").Insert(0, text);
        return Y.EncodeStateAsUpdate(doc);
    }
}
