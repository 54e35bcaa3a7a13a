using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Api;
using P2PSync.Node.Discovery;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Handoff;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Node.Sync;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The one place that wires a running node together: store, device key, live documents, trusted
/// peers, TCP listener and dialer, mDNS discovery, connection manager, sync, and the local API.
/// Shutdown runs in reverse order so nothing writes to the store after it is closed; mDNS stops
/// first so its goodbye tells the LAN at once that we are leaving.
/// </summary>
internal sealed class NodeHost : IAsyncDisposable, INodeStatus, INearbyStatus, IHandoffStatus
{
    /// <summary>How long a peer gets to finish the Noise handshake before its socket is closed.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly NodeStore _store;
    private readonly DeviceKey _key;
    private readonly NodePeerSync _sync;
    private readonly LogCompactor _compactor;
    private readonly ConnectionManager _connections;
    private readonly TcpNodeListener? _listener;
    private readonly MdnsDiscovery? _discovery;
    private readonly Task _acceptLoop;
    private readonly CancellationTokenSource _stop;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<Task> _joins = [];
    private readonly JoinDesk _joinDesk;
    private readonly Task _pingLoop;
    private NodeRelay? _relay;
    private NodeWebRtc? _webRtc;
    private LocalApiServer? _api;
    private bool _disposed;

    private NodeHost(
        NodeOptions options,
        NodeStore store,
        DeviceKey key,
        DocumentHub documents,
        PeerBook peers,
        NodeSpaces spaces,
        NodePeerSync sync,
        NodeHandoff handoff,
        NodeAwareness awareness,
        LogCompactor compactor,
        ConnectionManager connections,
        TcpNodeListener? listener,
        MdnsDiscovery? discovery,
        CancellationTokenSource stop,
        TimeProvider time,
        ILogger logger)
    {
        Spaces = spaces;
        _time = time;
        _joinDesk = new JoinDesk(spaces, peers, options.DeviceName, logger);
        Options = options;
        _store = store;
        _key = key;
        Documents = documents;
        Peers = peers;
        _sync = sync;
        Handoff = handoff;
        Awareness = awareness;
        _compactor = compactor;
        _connections = connections;
        _listener = listener;
        _discovery = discovery;
        _stop = stop;
        _logger = logger;
        _acceptLoop = listener is null ? Task.CompletedTask : Task.Run(() => AcceptLoopAsync(listener));
        _pingLoop = Task.Run(() => PingLoopAsync(time));
        WebRtcShares = new YWebRtcShares(documents, awareness.Hub, () => options.Relay ?? store.Relays.First(), new PeerConnectionOptions { BindAddresses = options.WebRtc?.BindAddresses, StunServer = options.WebRtc?.StunServer }, time, new Random(RandomNumberGenerator.GetInt32(int.MaxValue)), logger);
    }

    /// <summary>The y-webrtc rooms documents are shared into (`doc share-webrtc`); they end with the node.</summary>
    public YWebRtcShares WebRtcShares { get; }

    public NodeOptions Options { get; }

    /// <summary>The relay's mailbox URL when the node uses one.</summary>
    public Uri? RelayMailbox => _relay?.Mailbox;

    /// <summary>The relays stored for `up` (<c>relay add</c>); the first is used when no --relay is given.</summary>
    public Storage.RelayRepository StoredRelays => _store.Relays;

    /// <summary>Whether the relay's mailbox connection is up (false without a relay).</summary>
    public bool RelayConnected => _relay?.Connected ?? false;

    /// <summary>The node's spaces (membership, keys, invites).</summary>
    public NodeSpaces Spaces { get; }

    /// <summary>This device's key (signs records and membership entries).</summary>
    internal DeviceKey Key => _key;

    /// <summary>Where this node can be reached (HOST:PORT per non-loopback interface address, then loopback): what an invite carries.</summary>
    public IReadOnlyList<string> InviteAddresses() => ListenPort is { } port ? LocalAddresses.For(port) : [];

    /// <summary>Redeems an invite through this running node; afterwards the connection manager dials the inviter as a member.</summary>
    /// <exception cref="JoinFailedException">Refused, expired, unreachable; the message says which.</exception>
    public Task<(Space Space, string InviterName)> JoinAsync(InviteCode code, CancellationToken cancellationToken) => JoinAsync(code, null, cancellationToken);

    /// <summary>Redeems an invite through this running node, falling back on <paramref name="relay"/> when the inviter is out of reach.</summary>
    /// <param name="relay">The relay to claim the invite from when the inviter is out of reach; null = the node's own relay (if any).</param>
    public Task<(Space Space, string InviterName)> JoinAsync(InviteCode code, Uri? relay, CancellationToken cancellationToken) =>
        JoinClient.JoinAsync(code, _key, Spaces, Peers, Options.DeviceName, ListenPort, _time, (relay ?? Options.Relay ?? _store.Relays.First()) is { } url ? (url, Documents) : null, cancellationToken);

    /// <summary>The trusted devices (this user's own), as DeviceIds.</summary>
    internal static IReadOnlyCollection<DeviceId> TrustedDevices(PeerBook peers) =>
        [.. peers.List().Select(p => Protocol.Identity.DeviceId.Parse(p.DeviceId))];

    public DocumentHub Documents { get; }

    public PeerBook Peers { get; }

    /// <summary>This device's activity and its handoffs with connected peers.</summary>
    public NodeHandoff Handoff { get; }

    /// <summary>Awareness (who is where in which document) shared with peers; the websocket rooms should use its <see cref="NodeAwareness.Hub"/>.</summary>
    public NodeAwareness Awareness { get; }

    public string StorePath => _store.Path;

    public string DeviceId => _key.Id.ToString();

    public int? ListenPort => _listener?.Port;

    /// <summary>The local API's base URL, when it runs.</summary>
    public Uri? ApiUrl => _api?.Url;

    /// <summary>True when mDNS discovery runs (asked for, and its sockets could be opened).</summary>
    public bool MdnsRunning => _discovery is not null;

    /// <summary>The mDNS instance name we announce (after conflict renames); null when not announcing.</summary>
    public string? MdnsInstanceName => _discovery?.InstanceName;

    /// <summary>Devices seen nearby now, trusted or not; empty when discovery is off.</summary>
    public IReadOnlyCollection<PeerSighting> Nearby => (Options.Finder ?? _discovery)?.Nearby ?? [];

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
        random ??= new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
        DeviceKey? key = null;
        MdnsDiscovery? discovery = null;
        NodeHandoff? handoff = null;
        NodeAwareness? awareness = null;
        NodeSpaces? spaces = null;
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
            var peers = new PeerBook(new StorePeerDirectory(store.Peers), gate);
            spaces = new NodeSpaces(store.Spaces, store.Invites, key, gate, time, loggers.CreateLogger("spaces"));
            var documents = new DocumentHub(
                new StoreDocumentPersistence(store.Documents, key.Id),
                gate,
                loggers.CreateLogger("store"),
                new RecordSigning(key, spaces.CanWrite, docId => (ulong)Math.Max(1, store.Documents.OwnNextSeqFloor(docId))));
            SpacesBootstrap.Run(spaces, peers, store.Documents, documents, loggers.CreateLogger("spaces"));
            var nodeSpaces = spaces;
            documents.DefaultSpace = () => nodeSpaces.Personal?.Id ?? default;
            peers.SharesSpace = nodeSpaces.SharesAnySpace;
            peers.TrustChanged += () => nodeSpaces.EnsurePersonal(TrustedDevices(peers));

            // The listener first: a taken port should fail before anything with background tasks starts.
            // Beyond trusted devices and space members it lets in anyone while an invite is open:
            // such a connection may only redeem an invite (NodePeerSync.ServeAsync).
            var listener = options.ListenPort is { } port
                ? TcpNodeListener.Start(port, key, id => peers.MayConnect(id) || nodeSpaces.HasOpenInvites(), HandshakeTimeout, loggers.CreateLogger("tcp"))
                : null;
            discovery = options.Finder is null && options.Mdns is { } mdns ? StartDiscovery(options, mdns, key.Id, listener?.Port, time, new Random(random.Next()), loggers) : null;
            var links = new PeerLinkRegistry();
            var activity = new ActivityStore(time);
            handoff = new NodeHandoff(key.Id, documents, spaces, links, activity, time, NewHandoffId, options.Handoff, loggers.CreateLogger("handoff"));
            awareness = new NodeAwareness(new AwarenessHub(time), links, activity, key.Id, options.DeviceName, loggers.CreateLogger("awareness"));
            var sync = new NodePeerSync(
                documents, spaces, peers.MayConnect, id => peers.IsTrusted(id.ToString()), options.DeviceName,
                new StoreSentLog(store.Peers, loggers.CreateLogger("sync")), loggers.CreateLogger("sync"), links, handoff, awareness);
            // Off this thread: a peer's SpaceState is applied while the receive loop holds the store
            // gate, and the connection manager takes its own lock before asking the peer book
            // (which takes the store gate): reconciling inline could deadlock the two.
            spaces.Changed += (_, _) => _ = Task.Run(peers.Reconsider);
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
                random,
                new ConnectionManagerOptions(),
                loggers.CreateLogger("peers"),
                options.Finder ?? discovery);
            var compactor = new LogCompactor(documents, id => store.Documents.Compact(id).MergedUpdates, LogCompactor.DefaultThreshold, loggers.CreateLogger("store"));
            host = new NodeHost(options, store, key, documents, peers, spaces, sync, handoff, awareness, compactor, connections, listener, discovery, new CancellationTokenSource(), time, logger);
            connections.Start();
            // --relay wins for this run; otherwise the first relay stored with `relay add`.
            if ((options.Relay ?? store.Relays.First()) is { } relay)
            {
                host._relay = new NodeRelay(relay, key, documents, spaces, store.RelayOutbox, connections.Connected, time, loggers.CreateLogger("relay"));

                // Members not connected directly rendezvous on the relay's signalling and connect over WebRTC.
                if (options.WebRtc is { } webRtc)
                {
                    host._webRtc = new NodeWebRtc(relay, webRtc, key, spaces, connections, peers.MayConnect, time, new Random(random.Next()), loggers.CreateLogger("webrtc"));
                    host._webRtc.Start();
                }
            }

            // After the connection manager listens for sightings, so no early one is missed.
            discovery?.Start();
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
                if (discovery is not null)
                {
                    await discovery.DisposeAsync().ConfigureAwait(false);
                }

                awareness?.Dispose();
                handoff?.Dispose();
                spaces?.Dispose();
                key?.Dispose();
                store.Dispose();
            }

            throw;
        }
    }

    public PeerCatchUp? CatchUpOf(string deviceId) =>
        P2PSync.Protocol.Identity.DeviceId.TryParse(deviceId, out var device) ? _sync.CatchUpOf(device) : null;

    public string? PathOf(string deviceId)
    {
        if (ConnectedDevices().Contains(deviceId))
        {
            return _webRtc is not null && Protocol.Identity.DeviceId.TryParse(deviceId, out var connected) && _webRtc.IsConnectedOver(connected) ? "webrtc" : "lan";
        }

        return RelayConnected && Protocol.Identity.DeviceId.TryParse(deviceId, out var device) && Spaces.SharesAnySpace(device) ? "relay" : null;
    }

    /// <remarks>Over the relay path, the round trip is the mailbox's (what a change to that peer waits for to be stored).</remarks>
    public TimeSpan? RoundTripOf(string deviceId) => PathOf(deviceId) switch
    {
        "lan" or "webrtc" => Protocol.Identity.DeviceId.TryParse(deviceId, out var device) ? _sync.RoundTripOf(device) : null,
        "relay" => _relay?.RoundTrip,
        _ => null,
    };

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

        // Every step runs even if an earlier one fails: above all, the queued appends must be
        // committed and the store closed, whatever went wrong while the rest stopped.
        try
        {
            if (_discovery is not null)
            {
                await Step("mDNS", () => _discovery.DisposeAsync()).ConfigureAwait(false);
            }

            if (_api is not null)
            {
                // Event streams never end by themselves: end them first, or stopping the API would
                // wait its whole grace period for them.
                Handoff.Events.Close();
                await Step("the local API", () => _api.DisposeAsync()).ConfigureAwait(false);
            }

            await Step("y-webrtc rooms", () => WebRtcShares.DisposeAsync()).ConfigureAwait(false);
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_listener is not null)
            {
                await Step("the listener", () => _listener.DisposeAsync()).ConfigureAwait(false);
            }

            await Step("the accept loop", () => new ValueTask(_acceptLoop)).ConfigureAwait(false);
            if (_webRtc is not null)
            {
                await Step("WebRTC rendezvous", () => _webRtc.DisposeAsync()).ConfigureAwait(false);
            }

            await Step("the round-trip probe", () => new ValueTask(_pingLoop)).ConfigureAwait(false);
            await Step("the connections", () => _connections.DisposeAsync()).ConfigureAwait(false);
            await Step("sync", () => _sync.DisposeAsync()).ConfigureAwait(false);
            if (_relay is not null)
            {
                await Step("the relay mailbox", () => _relay.DisposeAsync()).ConfigureAwait(false);
            }

            await Step("invite redemptions", () => new ValueTask(Task.WhenAll(_joins.ToArray()))).ConfigureAwait(false);

            // After the connections: nothing feeds these any more; their event streams end now.
            await Step("handoff", () => { Handoff.Dispose(); return ValueTask.CompletedTask; }).ConfigureAwait(false);
            await Step("awareness", () => { Awareness.Dispose(); return ValueTask.CompletedTask; }).ConfigureAwait(false);
            await Step("log compaction", () => _compactor.DisposeAsync()).ConfigureAwait(false);
        }
        finally
        {
            await Step("committing queued updates", () => Documents.DisposeAsync()).ConfigureAwait(false);
            Spaces.Dispose();
            _key.Dispose();
            _store.Dispose();
            _stop.Dispose();
        }

        _logger.LogInformation("stopped; store closed");
    }

    /// <summary>
    /// The mDNS side of the node: announce our listen port (when we listen) and look for others.
    /// A node without mDNS still syncs at stored addresses, so sockets that cannot be opened
    /// (5353 held exclusively by another program, no permission) turn it off with a warning
    /// instead of failing `up`.
    /// </summary>
    private static MdnsDiscovery? StartDiscovery(NodeOptions options, MdnsSettings settings, DeviceId self, int? listenPort, TimeProvider time, Random random, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("mdns");
        MdnsSockets sockets;
        try
        {
            sockets = MdnsSockets.Open(settings.Port, logger);
        }
        catch (SocketException ex)
        {
            logger.LogWarning("mDNS is off: cannot open UDP port {Port}: {Reason}", settings.Port, ex.Message);
            return null;
        }

        var monitor = new InterfaceMonitor(InterfaceMonitor.ReadSystem, time, settings.AllowLoopback, logger);
        var publish = listenPort is { } port ? Profile(options.DeviceName, self, port) : null;
        try
        {
            return new MdnsDiscovery(new MdnsDiscoveryOptions(publish, self), sockets, monitor, time, random, logger);
        }
        catch (ArgumentException ex) when (publish is not null)
        {
            // A device name DNS cannot carry must not keep the node off the LAN: use the host label.
            logger.LogWarning("cannot announce the name \"{Name}\" over mDNS ({Reason}); announcing as {Host}", options.DeviceName, ex.Message, publish.HostLabel);
            return new MdnsDiscovery(new MdnsDiscoveryOptions(publish with { InstanceName = publish.HostLabel }, self), sockets, monitor, time, random, logger);
        }
    }

    /// <summary>A handoff id: 16 hex digits from the OS's cryptographic RNG (unguessable, so a peer cannot name another's handoff).</summary>
    private static string NewHandoffId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>What we announce (docs/dev/mdns-contract.md): instance = device name, host p2psync-&lt;id prefix&gt;, TXT txtvers/id/proto.</summary>
    internal static ServiceProfile Profile(string deviceName, DeviceId self, int port)
    {
        var id = self.ToString();
        var host = "p2psync-" + id[..10].ToLowerInvariant();
        var instance = string.IsNullOrWhiteSpace(deviceName) ? host : deviceName.Trim();
        var txt = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["txtvers"] = "1",
            ["id"] = id,
            ["proto"] = SyncProtocolVersion.Current.ToString(CultureInfo.InvariantCulture),
        };
        return new ServiceProfile(instance, host, checked((ushort)port), txt);
    }

    /// <summary>Probes every connection's round trip every <see cref="NodePeerSync.PingInterval"/> (shown per peer).</summary>
    private async Task PingLoopAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(NodePeerSync.PingInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                _sync.PingAll();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task AcceptLoopAsync(TcpNodeListener listener)
    {
        try
        {
            await foreach (var connection in listener.AcceptAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    if (!Peers.MayConnect(connection.RemoteDevice))
                    {
                        // Let in by the listener only because an invite is open: it may redeem it, nothing else.
                        _joins.Add(Task.Run(() => _joinDesk.ServeAsync(connection, _stop.Token)));
                        _joins.RemoveAll(task => task.IsCompleted);
                        continue;
                    }

                    _connections.Offer(connection, initiatedLocally: false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One connection's trouble must not end accepting for everyone else.
                    _logger.LogError(ex, "taking in a connection from {Device} failed", connection.RemoteDevice.ToShortString());
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>One shutdown step; a failure is logged and the shutdown goes on.</summary>
    private async Task Step(string what, Func<ValueTask> stop)
    {
        try
        {
            await stop().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "stopping {What} failed: {Reason}", what, ex.Message);
        }
    }
}
