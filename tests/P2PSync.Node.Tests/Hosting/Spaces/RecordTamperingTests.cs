using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting.Spaces;

/// <summary>
/// Records altered on the way (flipped bits, cut or grown bytes, a signature moved from another
/// record) reach a real node's intake: each is refused or rejected as malformed, and neither the
/// document nor the store changes.
/// </summary>
public sealed class RecordTamperingTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly NodeStore _store;
    private readonly DeviceKey _owner = DeviceKey.Generate();
    private readonly DeviceKey _editor = DeviceKey.Generate();
    private readonly NodeSpaces _spaces;
    private readonly DocumentHub _hub;
    private readonly Space _space;
    private readonly string _docId;

    public RecordTamperingTests()
    {
        _store = NodeHost.OpenStore(_dir.Path, TimeProvider.System);
        var gate = new Lock();
        _spaces = new NodeSpaces(_store.Spaces, _store.Invites, _owner, gate, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _space = _spaces.Create("Project", []);
        _spaces.AddMember(_space.Id, _editor.Id, SpaceRole.Editor);
        _hub = new DocumentHub(new StoreDocumentPersistence(_store.Documents, _owner.Id), gate, null, new RecordSigning(_owner, _spaces.CanWrite));
        _docId = _hub.Create("plan", _space.Id, "test").Id;
        _hub.Edit(_docId, d => TextEdits.Append(d, "text", "kept"), "test");
    }

    [Fact]
    public async Task MutatedRecords_AreRefusedOrRejected_AndNothingChanges()
    {
        var genuine = SignedRecord.Create(_editor, _space.Id, _docId, 1, [Update(5, "editor's words")]).Encoded;
        await _hub.WhenDurableAsync();
        var recordsBefore = _store.Documents.LoadRecords(_docId).Count;
        for (var seed = 1; seed <= 300; seed++)
        {
            var mutated = ByteMutator.Mutate(genuine, new Random(seed));
            if (mutated.AsSpan().SequenceEqual(genuine))
            {
                continue;
            }

            try
            {
                var intake = HubSyncSource.Intake(_hub, _spaces, _docId, [mutated], _editor.Id, new PeerOrigin(_editor.Id));
                Assert.True(intake.Accepted.Count == 0, $"seed {seed}: a mutated record was accepted");
                Assert.Single(intake.Refusals);
            }
            catch (Exception ex) when (ex is RecordFormatException or UpdateFormatException)
            {
                // Malformed: the sync session turns this into a protocol error for that connection.
            }

            Assert.True(Text() == "kept", $"seed {seed}: the document changed to \"{Text()}\"");
        }

        await _hub.WhenDurableAsync();
        Assert.Equal(recordsBefore, _store.Documents.LoadRecords(_docId).Count);
    }

    [Fact]
    public async Task ASignatureMovedFromAnotherRecord_IsRefused()
    {
        var first = SignedRecord.Create(_editor, _space.Id, _docId, 1, [Update(5, "first")]).Encoded;
        var second = SignedRecord.Create(_editor, _space.Id, _docId, 2, [Update(6, "second")]).Encoded;
        var swapped = (byte[])second.Clone();
        first.AsSpan(first.Length - 64).CopyTo(swapped.AsSpan(swapped.Length - 64));

        var intake = HubSyncSource.Intake(_hub, _spaces, _docId, [swapped], _editor.Id, new PeerOrigin(_editor.Id));

        Assert.Empty(intake.Accepted);
        Assert.Contains("signature", Assert.Single(intake.Refusals), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("kept", Text());
        await _hub.WhenDurableAsync();
        Assert.DoesNotContain(_store.Documents.LoadRecords(_docId), row => row.Author.AsSpan().SequenceEqual(_editor.PublicKey));
    }

    [Fact]
    public void ARecordMovedToAnotherDocumentOrSpace_IsRefused()
    {
        var other = _hub.Create("other", _space.Id, "test").Id;
        var forOther = SignedRecord.Create(_editor, _space.Id, other, 1, [Update(5, "elsewhere")]).Encoded;
        var personal = _spaces.EnsurePersonal([]);
        var otherSpace = SignedRecord.Create(_editor, personal.Id, _docId, 1, [Update(5, "elsewhere")]).Encoded;

        var moved = HubSyncSource.Intake(_hub, _spaces, _docId, [forOther, otherSpace], _editor.Id, new PeerOrigin(_editor.Id));

        Assert.Empty(moved.Accepted);
        Assert.Equal(2, moved.Refusals.Count);
        Assert.Equal("kept", Text());
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _spaces.Dispose();
        _owner.Dispose();
        _editor.Dispose();
        _store.Dispose();
        _dir.Dispose();
    }

    private string Text() => _hub.Read(_docId, d => d.GetText("text").ToString());

    private static byte[] Update(ulong client, string text)
    {
        var doc = new Doc(new DocOptions { ClientId = client });
        doc.GetText("text").Insert(0, text);
        return Y.EncodeStateAsUpdate(doc);
    }
}
