using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Api;
using P2PSync.Node.Identity;
using P2PSync.Node.Storage;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.Tcp;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The one place that wires a running node together: store, device key, live documents, trusted
/// peers, TCP listener and dialer, connection manager, sync, and the local API. Shutdown runs in
/// reverse order so nothing writes to the store after it is closed.
/// </summary>
internal sealed class NodeHost : IAsyncDisposable, INodeStatus
{
    /// <summary>How long a peer gets to finish the Noise handshake before its socket is closed.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly NodeStore _store;
    private readonly DeviceKey _key;
    private readonly NodePeerSync _sync;
    private readonly LogCompactor _compactor;
    private readonly ConnectionManager _connections;
    private readonly TcpNodeListener? _listener;
    private readonly Task _acceptLoop;
    private readonly CancellationTokenSource _stop;
    private readonly ILogger _logger;
    private LocalApiServer? _api;
    private bool _disposed;

    private NodeHost(
        NodeOptions options,
        NodeStore store,
        DeviceKey key,
        DocumentHub documents,
        PeerBook peers,
        NodePeerSync sync,
        LogCompactor compactor,
        ConnectionManager connections,
        TcpNodeListener? listener,
        CancellationTokenSource stop,
        ILogger logger)
    {
        Options = options;
        _store = store;
        _key = key;
        Documents = documents;
        Peers = peers;
        _sync = sync;
        _compactor = compactor;
        _connections = connections;
        _listener = listener;
        _stop = stop;
        _logger = logger;
        _acceptLoop = listener is null ? Task.CompletedTask : Task.Run(() => AcceptLoopAsync(listener));
    }

    public NodeOptions Options { get; }

    public DocumentHub Documents { get; }

    public PeerBook Peers { get; }

    public string StorePath => _store.Path;

    public string DeviceId => _key.Id.ToString();

    public int? ListenPort => _listener?.Port;

    /// <summary>The local API's base URL, when it runs.</summary>
    public Uri? ApiUrl => _api?.Url;

    /// <summary>
    /// Creates the data directory if needed and opens (or creates) the store in it.
    /// Throws <see cref="StoreOpenException"/> when the store file cannot be used.
    /// </summary>
    public static NodeStore OpenStore(string dataDirectory, TimeProvider time)
    {
        if (File.Exists(dataDirectory))
        {
            throw new StoreOpenException($"{dataDirectory} is a file, not a data directory");
        }

        Directory.CreateDirectory(dataDirectory);
        return NodeStore.Open(Path.Combine(dataDirectory, NodeStore.FileName), time);
    }

    /// <summary>Starts every part of the node; on failure, whatever started is stopped again.</summary>
    /// <param name="random">Jitter for redial backoff; null = seeded from the OS's cryptographic RNG.</param>
    public static async Task<NodeHost> StartAsync(NodeOptions options, TimeProvider time, Random? random, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("node");
        var store = OpenStore(options.DataDirectory, time);
        DeviceKey? key = null;
        NodeHost? host = null;
        try
        {
            var created = !DeviceKeyStore.Exists(options.DataDirectory);
            key = DeviceKeyStore.LoadOrCreate(options.DataDirectory);
            if (created)
            {
                logger.LogInformation("created device key {Path}", DeviceKeyStore.PathIn(options.DataDirectory));
            }

            var gate = new Lock();
            var documents = new DocumentHub(new StoreDocumentPersistence(store.Documents, key.Id), gate, loggers.CreateLogger("store"));
            var peers = new PeerBook(new StorePeerDirectory(store.Peers), gate);
            // The listener first: a taken port should fail before anything with background tasks starts.
            var listener = options.ListenPort is { } port
                ? TcpNodeListener.Start(port, key, id => peers.IsTrusted(id.ToString()), HandshakeTimeout, loggers.CreateLogger("tcp"))
                : null;
            var sync = new NodePeerSync(documents, options.DeviceName, new StoreSentLog(store.Peers, loggers.CreateLogger("sync")), loggers.CreateLogger("sync"));
            var dialer = new TcpDialer(key, HandshakeTimeout);
            var connections = new ConnectionManager(
                key.Id,
                peers,
                async (address, expected, ct) => await dialer.DialAsync(address, expected, ct).ConfigureAwait(false),
                async (connection, ct) =>
                {
                    peers.MarkSeen(connection.RemoteDevice.ToString());
                    await sync.ServeAsync(connection, ct).ConfigureAwait(false);
                },
                time,
                random ?? new Random(RandomNumberGenerator.GetInt32(int.MaxValue)),
                new ConnectionManagerOptions(),
                loggers.CreateLogger("peers"));
            var compactor = new LogCompactor(documents, id => store.Documents.Compact(id).MergedUpdates, LogCompactor.DefaultThreshold, loggers.CreateLogger("store"));
            host = new NodeHost(options, store, key, documents, peers, sync, compactor, connections, listener, new CancellationTokenSource(), logger);
            connections.Start();
            if (options.ApiPort is { } apiPort)
            {
                host._api = await LocalApiServer.StartAsync(apiPort, documents, peers, host, loggers, cancellationToken).ConfigureAwait(false);
                ApiEndpointFile.Write(options.DataDirectory, host._api.Url, Environment.ProcessId);
            }

            return host;
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                key?.Dispose();
                store.Dispose();
            }

            throw;
        }
    }

    public PeerCatchUp? CatchUpOf(string deviceId) =>
        P2PSync.Protocol.Identity.DeviceId.TryParse(deviceId, out var device) ? _sync.CatchUpOf(device) : null;

    public IReadOnlyCollection<string> ConnectedDevices() => _connections.Connected().Select(d => d.ToString()).ToList();

    public IReadOnlyDictionary<string, string> SyncStateOf(string docId) =>
        _sync.SyncStateOf(docId, Peers.List().Select(p => p.DeviceId));

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _logger.LogInformation("shutting down");
        ApiEndpointFile.Remove(Options.DataDirectory, Environment.ProcessId);
        if (_api is not null)
        {
            await _api.DisposeAsync().ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        await _acceptLoop.ConfigureAwait(false);
        await _connections.DisposeAsync().ConfigureAwait(false);
        await _sync.DisposeAsync().ConfigureAwait(false);
        await _compactor.DisposeAsync().ConfigureAwait(false);
        await Documents.DisposeAsync().ConfigureAwait(false);
        _key.Dispose();
        _store.Dispose();
        _stop.Dispose();
        _logger.LogInformation("stopped; store closed");
    }

    private async Task AcceptLoopAsync(TcpNodeListener listener)
    {
        try
        {
            await foreach (var connection in listener.AcceptAsync(_stop.Token).ConfigureAwait(false))
            {
                _connections.Offer(connection, initiatedLocally: false);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
