using P2PSync.Node.Api;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Cli.Client;

/// <summary>
/// Runs verbs directly on the store when no node is running. Uses the same <see cref="DocumentHub"/>
/// as the node, so an append here is stored exactly as the node would store it, and the node
/// sends it to its peers when it next syncs.
/// </summary>
internal sealed class StoreNodeClient : INodeClient
{
    private readonly NodeStore _store;
    private readonly DocumentHub _documents;
    private readonly PeerBook _peers;
    private readonly string _deviceId;

    private StoreNodeClient(NodeStore store, DeviceId device)
    {
        _store = store;
        _deviceId = device.IsEmpty ? "(no device key: run p2psync init)" : device.ToString();
        var gate = new Lock();
        // Renames made here carry this device, exactly as the running node would stamp them.
        _documents = new DocumentHub(new StoreDocumentPersistence(store.Documents, device), gate);
        _peers = new PeerBook(new StorePeerDirectory(store.Peers), gate);
        Description = $"store {store.Path}";
    }

    public string Description { get; }

    public static StoreNodeClient Open(string dataDirectory, TimeProvider time)
    {
        var store = NodeHost.OpenStore(dataDirectory, time);
        try
        {
            // Reading the key needs libsodium; status still works without one, it just cannot name the device.
            var device = DeviceKeyStore.Exists(dataDirectory) ? ReadDeviceId(dataDirectory) : default;
            return new StoreNodeClient(store, device);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public Task<StatusView> StatusAsync(CancellationToken cancellationToken)
    {
        var peers = _peers.List();
        var sentLog = new StoreSentLog(_store.Peers, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var docs = _documents.List()
            .Select(d => new DocStatusView(d.Id, d.Name, peers.ToDictionary(p => p.DeviceId, p => Behind(_documents.HeadSeq(d.Id) - sentLog.SentUpto(p.DeviceId, d.Id)), StringComparer.Ordinal)))
            .ToList();
        return Task.FromResult(new StatusView(_deviceId, null, 0, peers.Select(ToView).ToList(), docs));
    }

    public Task<IReadOnlyList<DocView>> ListDocsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DocView>>(_documents.List().Select(ToView).ToList());

    public Task<DocView> CreateDocAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(ToView(_documents.Create(name, "cli")));
        }
        catch (InvalidStoreInputException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
    }

    public Task<DocView> RenameDocAsync(string id, string name, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(ToView(_documents.Rename(id, name, "cli")));
        }
        catch (UnknownDocumentException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, ex.Message, ex);
        }
        catch (InvalidStoreInputException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
    }

    public Task<DocDetailView> GetDocAsync(string id, string root, CancellationToken cancellationToken) =>
        Task.FromResult(Detail(id, root));

    public async Task<DocDetailView> AppendAsync(string id, string text, string root, CancellationToken cancellationToken)
    {
        try
        {
            await _documents.EditDurablyAsync(id, doc => TextEdits.Append(doc, root, text), "cli").ConfigureAwait(false);
        }
        catch (UnknownDocumentException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, ex.Message, ex);
        }
        catch (RootTypeException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }

        return Detail(id, root);
    }

    public Task<IReadOnlyList<PeerView>> ListPeersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PeerView>>(_peers.List().Select(ToView).ToList());

    public Task<PeerView> AddPeerAsync(string deviceId, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(ToView(_peers.Add(deviceId, addresses)));
        }
        catch (FormatException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
    }

    public Task RemovePeerAsync(string deviceId, CancellationToken cancellationToken)
    {
        bool removed;
        try
        {
            removed = _peers.Remove(deviceId);
        }
        catch (FormatException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }

        return removed
            ? Task.CompletedTask
            : throw new CommandFailedException(ExitCodes.Failure, $"{deviceId} is not a trusted peer");
    }

    public async ValueTask DisposeAsync()
    {
        await _documents.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }

    private static string Behind(long updates) =>
        updates <= 0 ? "in sync" : $"behind by {updates} update{(updates == 1 ? "" : "s")} (offline)";

    private static DeviceId ReadDeviceId(string dataDirectory)
    {
        using var key = DeviceKeyStore.Load(dataDirectory);
        return key.Id;
    }

    private DocDetailView Detail(string id, string root)
    {
        try
        {
            var record = _documents.Get(id) ?? throw new UnknownDocumentException(id);
            return new DocDetailView(record.Id, record.Name, record.CreatedMs, root, _documents.Read(id, doc => TextEdits.Read(doc, root)));
        }
        catch (UnknownDocumentException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, ex.Message, ex);
        }
        catch (RootTypeException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
    }

    private static DocView ToView(DocumentRecord doc) => new(doc.Id, doc.Name, doc.CreatedMs);

    private static PeerView ToView(PeerRecord peer) => new(peer.DeviceId, peer.Name, peer.Addresses, false, peer.LastSeenMs);
}
