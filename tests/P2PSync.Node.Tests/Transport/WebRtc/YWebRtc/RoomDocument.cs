using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>One device's side of a room test: a store, its document hub with one document, an awareness hub.</summary>
internal sealed class RoomDocument : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly NodeStore _store;

    public RoomDocument(int device)
    {
        _store = NodeHost.OpenStore(_dir.Path, TimeProvider.System);
        Hub = new DocumentHub(new StoreDocumentPersistence(_store.Documents, TestDevices.Make(device)), new Lock());
        Awareness = new AwarenessHub(TimeProvider.System);
        DocId = Hub.Create("room doc", "test").Id;
    }

    public DocumentHub Hub { get; }

    public AwarenessHub Awareness { get; }

    public string DocId { get; }

    public string Text => Hub.Read(DocId, d => d.GetText("text").ToString());

    public void Append(string text) => Hub.Edit(DocId, d => TextEdits.Append(d, "text", text), "test");

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }
}
