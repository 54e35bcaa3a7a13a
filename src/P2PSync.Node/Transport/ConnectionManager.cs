using Microsoft.Extensions.Logging;
using P2PSync.Node.Discovery;
using P2PSync.Node.Hosting;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport;

/// <summary>
/// Keeps one connection per trusted device: dials every known address with exponential backoff
/// and jitter, redials after failures, takes in connections the listener accepted, and settles
/// simultaneous dials the same way on both sides (the connection initiated by the lower DeviceId
/// survives), so two devices never run two connections to each other. With a peer finder (mDNS),
/// a trusted device that is seen nearby is dialed at once at the endpoints it announced, then at
/// its stored addresses; untrusted devices that are seen are never dialed.
/// </summary>
internal sealed class ConnectionManager : IAsyncDisposable
{
    /// <summary>Opens an authenticated connection to the expected device at an address.</summary>
    public delegate Task<IConnection> Dialer(PeerAddress address, DeviceId expected, CancellationToken cancellationToken);

    /// <summary>Uses a connection until it ends or the token fires; the manager disposes it afterwards.</summary>
    public delegate Task Server(IConnection connection, CancellationToken cancellationToken);

    private readonly DeviceId _local;
    private readonly PeerBook _peers;
    private readonly Dialer _dial;
    private readonly Server _serve;
    private readonly TimeProvider _time;
    private readonly ConnectionBackoff _backoff;
    private readonly ConnectionManagerOptions _options;
    private readonly ILogger _logger;
    private readonly IPeerFinder? _finder;
    private readonly Dictionary<DeviceId, ConnectionLink> _active = [];
    private readonly Dictionary<DeviceId, ConnectionManagerDialLoop> _dialLoops = [];
    private readonly Dictionary<DeviceId, long> _lastKick = [];

    /// <summary>Least time between two dials that sightings of one device trigger.</summary>
    private static readonly TimeSpan MinKickGap = TimeSpan.FromSeconds(1);
    private readonly List<Task> _tasks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();

    public ConnectionManager(
        DeviceId local,
        PeerBook peers,
        Dialer dial,
        Server serve,
        TimeProvider time,
        Random random,
        ConnectionManagerOptions options,
        ILogger logger,
        IPeerFinder? finder = null)
    {
        _local = local;
        _peers = peers;
        _dial = dial;
        _serve = serve;
        _time = time;
        _backoff = new ConnectionBackoff(options, random);
        _options = options;
        _logger = logger;
        _finder = finder;
    }

    /// <summary>Devices with a connection up now.</summary>
    public IReadOnlyCollection<DeviceId> Connected()
    {
        lock (_gate)
        {
            return [.. _active.Keys];
        }
    }

    /// <summary>Starts dialing the known peers and follows later changes of the peer list.</summary>
    public void Start()
    {
        _peers.Changed += Reconcile;
        if (_finder is not null)
        {
            _finder.Seen += OnSeen;
            _finder.Gone += OnGone;
        }

        Reconcile();
    }

    /// <summary>
    /// Takes a new authenticated connection (dialed or accepted). It is dropped if the device is
    /// no longer trusted, or if it loses the tie-break against the connection already running.
    /// Returns false only when the device may not be served (untrusted, shutting down).
    /// </summary>
    public bool Offer(IConnection connection, bool initiatedLocally)
    {
        var device = connection.RemoteDevice;
        ConnectionLink? replaced = null;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested || !_peers.MayConnect(device))
            {
                _logger.LogInformation("dropping connection from {Device}: {Reason}", device.ToShortString(), _stop.IsCancellationRequested ? "shutting down" : "neither trusted nor a member of a shared space");
                _ = connection.DisposeAsync().AsTask();
                return false;
            }

            if (_active.TryGetValue(device, out var existing))
            {
                // A direct path beats WebRTC whoever dialed; between equal paths the tie-break decides.
                var newVersusExisting = PathRank(connection.Path).CompareTo(PathRank(existing.Connection.Path));
                if (newVersusExisting > 0 || (newVersusExisting == 0 && !NewWins(existing.InitiatedLocally, initiatedLocally, device)))
                {
                    _logger.LogDebug("keeping the existing connection to {Device}; closing the duplicate", device.ToShortString());
                    _ = connection.DisposeAsync().AsTask();
                    return true;
                }

                replaced = existing;
            }

            var link = new ConnectionLink(connection, initiatedLocally, _time.GetTimestamp());
            _active[device] = link;
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(Task.Run(() => ServeAsync(link)));
        }

        if (replaced is not null)
        {
            _logger.LogDebug("replacing the connection to {Device} (tie-break)", device.ToShortString());
            replaced.Stop.Cancel();
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _peers.Changed -= Reconcile;
        if (_finder is not null)
        {
            _finder.Seen -= OnSeen;
            _finder.Gone -= OnGone;
        }

        Task[] pending;
        lock (_gate)
        {
            _stop.Cancel();
            foreach (var loop in _dialLoops.Values)
            {
                loop.Cancel.Cancel();
            }

            foreach (var link in _active.Values)
            {
                link.Stop.Cancel();
            }

            pending = [.. _tasks];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>While on WebRTC, LAN addresses are retried no sooner than this many backoff doublings (8 s by default).</summary>
    private const int LanRetryFloor = 5;

    /// <summary>Lower is preferred: LAN (and the in-memory test network) before WebRTC.</summary>
    private static int PathRank(string path) => path == "webrtc" ? 1 : 0;

    /// <summary>
    /// Same answer on both ends: of two connections between the same two devices, the one whose
    /// initiator has the smaller DeviceId survives; between two with the same initiator, the newer
    /// (the initiator only redials after losing the old one).
    /// </summary>
    private bool NewWins(bool existingLocal, bool newLocal, DeviceId remote)
    {
        if (existingLocal == newLocal)
        {
            return true;
        }

        var newInitiator = newLocal ? _local : remote;
        var existingInitiator = existingLocal ? _local : remote;
        return string.CompareOrdinal(newInitiator.ToString(), existingInitiator.ToString()) < 0;
    }

    private async Task ServeAsync(ConnectionLink link)
    {
        var device = link.Device.ToShortString();
        _logger.LogInformation("connected to {Device} ({Direction}, {Path})", device, link.InitiatedLocally ? "outgoing" : "incoming", link.Connection.Path);
        try
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(link.Stop.Token, _stop.Token);
            await _serve(link.Connection, both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by a tie-break, a removed peer or shutdown.
        }
        catch (IOException ex)
        {
            _logger.LogInformation("connection to {Device} broke: {Reason}", device, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug in serving one peer must not take the node down; keep the stack trace.
            _logger.LogError(ex, "serving {Device} failed", device);
        }
        finally
        {
            await link.Connection.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                if (_active.TryGetValue(link.Device, out var current) && ReferenceEquals(current, link))
                {
                    _active.Remove(link.Device);
                }
            }

            // Stop is not disposed: Offer may still cancel it from another thread when a redial
            // replaces this link just as it ends, and a token source with no timer holds nothing
            // that needs freeing.
            link.MarkFinished();
            _logger.LogInformation("disconnected from {Device}", device);
        }
    }

    /// <summary>
    /// A device showed up nearby (or changed its endpoints). Trusted and not connected: dial now
    /// with a fresh backoff. Untrusted: nothing, it is only listed.
    /// </summary>
    private void OnSeen(PeerSighting sighting)
    {
        if (!_peers.MayConnect(sighting.Device))
        {
            _logger.LogDebug("{Device} ({Name}) is nearby but not trusted; not dialing", sighting.Device.ToShortString(), sighting.Name);
            return;
        }

        bool hadLoop;
        lock (_gate)
        {
            hadLoop = _dialLoops.ContainsKey(sighting.Device);
        }

        Reconcile();
        lock (_gate)
        {
            // At most one sighting-triggered dial per device per MinKickGap: sightings can be
            // spoofed by anyone on the LAN, and each kick skips the backoff. A loop Reconcile has
            // just started dials at once by itself; kicking it too would dial twice.
            var now = _time.GetTimestamp();
            if (!hadLoop || (_lastKick.TryGetValue(sighting.Device, out var last) && _time.GetElapsedTime(last, now) < MinKickGap))
            {
                _lastKick.TryAdd(sighting.Device, now);
                return;
            }

            if (!_active.ContainsKey(sighting.Device) && _dialLoops.TryGetValue(sighting.Device, out var loop))
            {
                _logger.LogDebug("{Device} seen nearby at {Endpoints}; dialing now", sighting.Device.ToShortString(), string.Join(", ", sighting.Endpoints));
                _lastKick[sighting.Device] = now;
                loop.Kick();
            }
        }
    }

    /// <summary>
    /// A device left the LAN. Its found endpoints are no longer dialed (they are read from the
    /// finder at each attempt); a device with no stored addresses stops being dialed at all. A
    /// connection that is up stays up: the goodbye may be from one interface of several.
    /// </summary>
    private void OnGone(DeviceId device) => Reconcile();

    private HashSet<DeviceId> NearbyDevices() =>
        _finder is null ? [] : _finder.Nearby.Select(s => s.Device).ToHashSet();

    private void Reconcile()
    {
        var peers = _peers.Dialable();
        var nearby = NearbyDevices();
        var trusted = peers.Select(p => DeviceId.Parse(p.DeviceId)).ToHashSet();
        var wanted = peers
            .Where(p => p.Addresses.Count > 0 || nearby.Contains(DeviceId.Parse(p.DeviceId)))
            .Select(p => DeviceId.Parse(p.DeviceId))
            .ToHashSet();
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            foreach (var (device, loop) in _dialLoops.ToList())
            {
                if (!wanted.Contains(device))
                {
                    loop.Cancel.Cancel();
                    _dialLoops.Remove(device);
                }
            }

            foreach (var device in wanted)
            {
                if (!_dialLoops.ContainsKey(device))
                {
                    var loop = new ConnectionManagerDialLoop(_stop.Token);
                    _dialLoops.Add(device, loop);
                    _tasks.RemoveAll(t => t.IsCompleted);
                    _tasks.Add(Task.Run(() => DialLoopAsync(device, loop)));
                }
            }

            foreach (var (device, link) in _active)
            {
                if (!trusted.Contains(device) && !_peers.MayConnect(device))
                {
                    _logger.LogInformation("closing connection to {Device}: no longer trusted nor a member of a shared space", device.ToShortString());
                    link.Stop.Cancel();
                }
            }
        }
    }

    private async Task DialLoopAsync(DeviceId device, ConnectionManagerDialLoop loop)
    {
        var cancellationToken = loop.Cancel.Token;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ConnectionLink? link;
                lock (_gate)
                {
                    _active.TryGetValue(device, out link);
                }

                if (link is not null)
                {
                    // A sighting while connected says nothing about the next redial.
                    loop.ClearKick();
                    if (PathRank(link.Connection.Path) > 0)
                    {
                        // WebRTC stands in for the LAN: keep trying the LAN addresses, slowly; one that
                        // answers replaces the WebRTC connection (Offer ranks the paths).
                        await loop.WaitAsync(_backoff.Delay(Math.Max(failures, LanRetryFloor)), _time, cancellationToken).ConfigureAwait(false);
                        if (!link.Finished.IsCompleted && !await TryDialAsync(device, cancellationToken).ConfigureAwait(false))
                        {
                            failures++;
                        }

                        continue;
                    }

                    await link.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var lived = _time.GetElapsedTime(link.StartedTimestamp);
                    failures = lived >= _options.HealthyAfter ? 0 : failures + 1;
                    if (await loop.WaitAsync(_backoff.Delay(failures), _time, cancellationToken).ConfigureAwait(false))
                    {
                        failures = 0;
                    }

                    continue;
                }

                if (await TryDialAsync(device, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var delay = _backoff.Delay(failures++);
                _logger.LogDebug("next dial of {Device} in {Delay} ms", device.ToShortString(), (int)delay.TotalMilliseconds);
                if (await loop.WaitAsync(delay, _time, cancellationToken).ConfigureAwait(false))
                {
                    // Seen nearby just now: the backoff starts over.
                    failures = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The peer was removed or the node is stopping.
        }
    }

    /// <summary>
    /// Where to dial a device: the endpoints it announces nearby first (fresh, and they work
    /// without typing an address), then its stored addresses; duplicates once.
    /// </summary>
    private List<string> DialOrder(DeviceId device)
    {
        var found = _finder?.Nearby.FirstOrDefault(s => s.Device == device)?.Endpoints ?? [];
        var stored = _peers.FindAny(device.ToString())?.Addresses ?? [];
        return found
            .Select(e => new PeerAddress(e.Address.ToString(), e.Port).ToString())
            .Concat(stored)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<bool> TryDialAsync(DeviceId device, CancellationToken cancellationToken)
    {
        foreach (var text in DialOrder(device))
        {
            PeerAddress address;
            try
            {
                address = PeerAddress.Parse(text);
            }
            catch (FormatException ex)
            {
                _logger.LogWarning("skipping address of {Device}: {Problem}", device.ToShortString(), ex.Message);
                continue;
            }

            try
            {
                var connection = await _dial(address, device, cancellationToken).ConfigureAwait(false);
                return Offer(connection, initiatedLocally: true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogDebug("dial {Device} at {Address} failed: {Reason}", device.ToShortString(), address, ex.Message);
            }
        }

        return false;
    }
}
