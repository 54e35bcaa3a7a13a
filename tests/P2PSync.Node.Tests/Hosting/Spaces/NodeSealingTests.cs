using FsCheck;
using FsCheck.Fluent;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting.Spaces;

/// <summary>
/// What the node seals for leaving a direct connection: the records its hub signs, under the
/// space's current key. A removed device cannot open what is sealed after the rotation, and no
/// sealed byte string contains the text it carries.
/// </summary>
public sealed class NodeSealingTests : IDisposable
{
    private readonly TempDirectory _aliceDir = new();
    private readonly TempDirectory _bobDir = new();
    private readonly DeviceKey _alice = DeviceKey.Generate();
    private readonly DeviceKey _bob = DeviceKey.Generate();
    private readonly NodeStore _aliceStore;
    private readonly NodeStore _bobStore;
    private readonly NodeSpaces _aliceSpaces;
    private readonly NodeSpaces _bobSpaces;
    private readonly DocumentHub _hub;
    private readonly Space _project;

    public NodeSealingTests()
    {
        _aliceStore = NodeHost.OpenStore(_aliceDir.Path, TimeProvider.System);
        _bobStore = NodeHost.OpenStore(_bobDir.Path, TimeProvider.System);
        _aliceSpaces = new NodeSpaces(_aliceStore.Spaces, _aliceStore.Invites, _alice, new Lock(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _bobSpaces = new NodeSpaces(_bobStore.Spaces, _bobStore.Invites, _bob, new Lock(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _project = _aliceSpaces.Create("Project", []);
        _aliceSpaces.AddMember(_project.Id, _bob.Id, SpaceRole.Editor);
        _bobSpaces.ApplyState(_aliceSpaces.DescribeFor(_project.Id, _bob.Id), _alice.Id);
        _hub = new DocumentHub(new StoreDocumentPersistence(_aliceStore.Documents, _alice.Id), new Lock(), null, new RecordSigning(_alice, _aliceSpaces.CanWrite));
    }

    [Fact]
    public void AMemberOpensWhatIsSealed_ARemovedOneCannotOpenWhatIsSealedAfterTheRotation()
    {
        var doc = _hub.Create("plan", _project.Id, "test");
        var before = SealLatestRecord(doc.Id, "before the removal");
        var sealedBefore = SealEncoded(before);
        Assert.Equal(before, _bobSpaces.Open(_project.Id, sealedBefore).Plaintext);

        _aliceSpaces.Remove(_project.Id, _bob.Id);
        var after = SealLatestRecord(doc.Id, "after the removal");
        var sealedAfter = SealEncoded(after);

        var ex = Assert.Throws<SealedEnvelopeException>(() => _bobSpaces.Open(_project.Id, sealedAfter));
        Assert.Equal(SealedEnvelopeProblem.UnknownEpoch, ex.Problem);
        Assert.Equal(after, _aliceSpaces.Open(_project.Id, sealedAfter).Plaintext);
        Assert.Equal(1UL, _aliceSpaces.Open(_project.Id, sealedAfter).Epoch);

        // What was sealed before stays readable to Bob: revocation protects what comes next.
        Assert.Equal(before, _bobSpaces.Open(_project.Id, sealedBefore).Plaintext);
    }

    [Fact]
    public void NoSealedRecord_ContainsAnyPieceOfTheTextItCarries()
    {
        var doc = _hub.Create("plan", _project.Id, "test");
        Prop.ForAll(
            Arb.From(Gen.Choose(0, int.MaxValue)),
            seed =>
            {
                var marker = Marker(seed);
                var record = SealLatestRecord(doc.Id, marker);
                var sealedBytes = SealEncoded(record);
                var markerBytes = System.Text.Encoding.UTF8.GetBytes(marker);
                for (var start = 0; start + 8 <= markerBytes.Length; start++)
                {
                    if (sealedBytes.AsSpan().IndexOf(markerBytes.AsSpan(start, 8)) >= 0)
                    {
                        return false;
                    }
                }

                // ...while the record itself does carry it (so the check above means something).
                return record.AsSpan().IndexOf(markerBytes) >= 0;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    public void Dispose()
    {
        _hub.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _aliceSpaces.Dispose();
        _bobSpaces.Dispose();
        _alice.Dispose();
        _bob.Dispose();
        _aliceStore.Dispose();
        _bobStore.Dispose();
        _aliceDir.Dispose();
        _bobDir.Dispose();
    }

    private static string Marker(int seed)
    {
        var random = new Random(seed);
        return $"MARKER-{seed:x8}-" + new string([.. Enumerable.Range(0, 24).Select(_ => (char)random.Next('a', 'z' + 1))]);
    }

    /// <summary>Alice types <paramref name="text"/>; returns the record her hub signed for it.</summary>
    private byte[] SealLatestRecord(string docId, string text)
    {
        byte[]? record = null;
        void Capture(DocumentUpdate update) => record = update.Records[^1];
        _hub.Updated += Capture;
        try
        {
            _hub.Edit(docId, d => TextEdits.Append(d, "text", text), "test");
        }
        finally
        {
            _hub.Updated -= Capture;
        }

        return record!;
    }

    private byte[] SealEncoded(byte[] record) => _aliceSpaces.Seal(_project.Id, SealedEnvelopeKind.SignedRecord, record);
}
