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
    private readonly string _dataDirectory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly PeerBook _peers;
    private DocumentHub _documents;
    private string _deviceId;
    private DeviceKey? _key;
    private NodeSpaces? _spaces;

    /// <param name="key">The device key; null when there is none yet (reading works; the first change creates it, as `up` would).</param>
    private StoreNodeClient(NodeStore store, string dataDirectory, DeviceKey? key, TimeProvider time)
    {
        _store = store;
        _dataDirectory = dataDirectory;
        _time = time;
        _peers = new PeerBook(new StorePeerDirectory(store.Peers), _gate);
        _deviceId = "(no device key: run p2psync init)";
        _documents = new DocumentHub(new StoreDocumentPersistence(store.Documents, default), _gate);
        if (key is not null)
        {
            UseKey(key);
        }

        Description = $"store {store.Path}";
    }

    /// <summary>
    /// Exactly what the node does at start: spaces loaded (the personal one created), and a hub that
    /// signs, so changes made here are signed like the node's own and it serves them to its peers
    /// when it next syncs.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_key), nameof(_spaces))]
    private void UseKey(DeviceKey key)
    {
        _key = key;
        _deviceId = key.Id.ToString();
        var spaces = new NodeSpaces(_store.Spaces, _store.Invites, key, _gate, _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _spaces = spaces;
        var store = _store;
        _documents = new DocumentHub(
            new StoreDocumentPersistence(store.Documents, key.Id),
            _gate,
            null,
            new RecordSigning(key, spaces.CanWrite, docId => (ulong)Math.Max(1, store.Documents.OwnNextSeqFloor(docId))));
        SpacesBootstrap.Run(spaces, _peers, store.Documents, _documents, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _documents.DefaultSpace = () => spaces.Personal?.Id ?? default;
        _peers.SharesSpace = spaces.SharesAnySpace;
        _peers.TrustChanged += () => spaces.EnsurePersonal(NodeHost.TrustedDevices(_peers));
    }

    public string Description { get; }

    public static StoreNodeClient Open(string dataDirectory, TimeProvider time)
    {
        var store = NodeHost.OpenStore(dataDirectory, time);
        try
        {
            // Reading the key needs libsodium; status still works without one, it just cannot name the device.
            var key = DeviceKeyStore.Exists(dataDirectory) ? DeviceKeyStore.Load(dataDirectory) : null;
            try
            {
                return new StoreNodeClient(store, dataDirectory, key, time);
            }
            catch
            {
                key?.Dispose();
                throw;
            }
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
        Task.FromResult<IReadOnlyList<DocView>>(_documents.List().Select(SpaceOperations.ToView).ToList());

    public Task<DocView> CreateDocAsync(string name, string? space, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.CreateDocument(name, space, "cli")));

    public Task<DocView> RenameDocAsync(string id, string name, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(SpaceOperations.ToView(_documents.Rename(id, name, "cli")));
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
        RequireKey();
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
        catch (ReadOnlyDocumentException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, ex.Message, ex);
        }

        return Detail(id, root);
    }

    public Task<IReadOnlyList<PeerView>> ListPeersAsync(CancellationToken cancellationToken)
    {
        var members = Operations?.MemberPeers()
            .Select(m => new PeerView(m.Device.ToString(), m.Known?.Name, m.Known?.Addresses ?? [], false, m.Known?.LastSeenMs, Trusted: false, Spaces: m.Spaces)) ?? [];
        return Task.FromResult<IReadOnlyList<PeerView>>([.. _peers.List().Select(ToView), .. members]);
    }

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

    /// <summary>No node runs, so no relay is in use.</summary>
    public Task<IReadOnlyList<RelayView>> ListRelaysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RelayView>>(_store.Relays.List().Select(r => RelayEndpoints.ToView(r, null)).ToList());

    public Task<(RelayView Relay, bool Added)> AddRelayAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            var (relay, added) = _store.Relays.Add(url);
            return Task.FromResult((RelayEndpoints.ToView(relay, null), added));
        }
        catch (InvalidStoreInputException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
    }

    public Task RemoveRelayAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return _store.Relays.Remove(url)
                ? Task.CompletedTask
                : throw new CommandFailedException(ExitCodes.Failure, $"no relay {RelayUrls.Normalise(url)} is stored (see `p2psync relay list`)");
        }
        catch (InvalidStoreInputException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
    }

    /// <summary>A store without a device key has no spaces yet (the node creates the personal one at its first start).</summary>
    public Task<IReadOnlyList<SpaceView>> ListSpacesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_spaces is null ? [] : Spaces(ops => ops.List()));

    public Task<SpaceDetailView> CreateSpaceAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.Create(name)));

    public Task<SpaceDetailView> GetSpaceAsync(string space, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.Describe(space)));

    public Task<SpaceDetailView> AddMemberAsync(string space, string device, string role, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.AddMember(space, device, role)));

    public Task<SpaceDetailView> ChangeRoleAsync(string space, string device, string role, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.ChangeRole(space, device, role)));

    public Task<SpaceDetailView> RemoveMemberAsync(string space, string device, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.Remove(space, device)));

    /// <summary>
    /// Stored in the store; the node answers it once it runs at one of <paramref name="addresses"/>
    /// (required here, unless relay-only: nothing listens now). With a stored relay the invite is
    /// also opened for the relay; the node posts its package on its next relay connection.
    /// </summary>
    public Task<InviteView> CreateInviteAsync(string space, string role, string? expires, IReadOnlyList<string> addresses, bool relayOnly, CancellationToken cancellationToken) =>
        Task.FromResult(Spaces(ops => ops.Invite(space, role, expires, addresses, [], throughRelay: _store.Relays.First() is not null, relayOnly)));

    /// <summary>
    /// Redeems the invite straight from the CLI process (no node runs): the space, its keys and the
    /// inviter's address land in the store, and the node syncs the space's documents when it starts.
    /// The inviter learns to dial us back at the default port, where <c>up</c> listens by default.
    /// </summary>
    public async Task<JoinedView> JoinAsync(string code, Uri? relay, CancellationToken cancellationToken)
    {
        var invite = Spaces(_ => SpaceOperations.ParseCode(code));
        try
        {
            var (space, inviterName) = await JoinClient.JoinAsync(
                invite, _key!, _spaces!, _peers, Environment.MachineName, UpCommand.DefaultPort, _time, (relay ?? _store.Relays.First()) is { } url ? (url, _documents) : null, cancellationToken).ConfigureAwait(false);
            return SpaceOperations.Joined(space, _key!.Id, invite.Inviter, inviterName);
        }
        catch (JoinFailedException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, ex.Message, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _documents.DisposeAsync().ConfigureAwait(false);
        _spaces?.Dispose();
        _key?.Dispose();
        _store.Dispose();
    }

    /// <summary>Changes are signed by this device: the first change in a fresh data directory creates its key, as `up` would.</summary>
    private void RequireKey()
    {
        if (_key is null)
        {
            // The unsigned hub only ever read; nothing is queued in it.
            _documents.DisposeAsync().AsTask().GetAwaiter().GetResult();
            UseKey(DeviceKeyStore.LoadOrCreate(_dataDirectory));
        }
    }

    /// <summary>The space requests over this store's spaces, peers and (signing) hub; null until there is a device key.</summary>
    private SpaceOperations? Operations => _spaces is null ? null : new SpaceOperations(_spaces, _peers, _documents);

    /// <summary>Runs a space operation, which needs the device key (it signs), with refusals as command failures.</summary>
    private T Spaces<T>(Func<SpaceOperations, T> operation)
    {
        RequireKey();
        try
        {
            return operation(Operations!);
        }
        catch (SpaceRequestException ex)
        {
            throw new CommandFailedException(ex.Problem == SpaceRequestProblem.BadInput ? ExitCodes.BadInput : ExitCodes.Failure, ex.Message, ex);
        }
    }

    private static string Behind(long updates) =>
        updates <= 0 ? "in sync" : $"behind by {updates} update{(updates == 1 ? "" : "s")} (offline)";

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

    private static PeerView ToView(PeerRecord peer) => new(peer.DeviceId, peer.Name, peer.Addresses, false, peer.LastSeenMs, Trusted: true);
}
