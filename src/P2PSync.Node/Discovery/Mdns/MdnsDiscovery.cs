using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Runs the mDNS responder (our service) and browser (everyone else's) over the sockets, on one
/// loop: received packets, interface changes and the engines' wake-up times are handled one at a
/// time, so the engines (not thread-safe by design) never see two callers. The browser's services
/// become <see cref="PeerSighting"/>s keyed by the DeviceId in their TXT <c>id=</c>; a packet that
/// does not decode is counted and dropped, and nothing a peer sends can stop the loop.
/// </summary>
internal sealed class MdnsDiscovery : IPeerFinder, IAsyncDisposable
{
    private readonly MdnsDiscoveryOptions _options;
    private readonly IMdnsSocket _socket;
    private readonly InterfaceMonitor _interfaces;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MdnsResponder? _responder;
    private readonly MdnsBrowser _browser;
    private readonly Channel<MdnsDiscoveryInput> _control = Channel.CreateUnbounded<MdnsDiscoveryInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITimer _wake;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _hiddenUntil = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _heard = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<DeviceId, PeerSighting> _nearby = [];
    private Task _loop = Task.CompletedTask;
    private long _malformed;
    private long _sendFailures;
    private long _engineFailures;
    private bool _started;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="socket"/> and <paramref name="interfaces"/> (disposed with this).</summary>
    /// <exception cref="ArgumentException">The profile to publish is unusable (see <see cref="MdnsResponder"/>).</exception>
    public MdnsDiscovery(MdnsDiscoveryOptions options, IMdnsSocket socket, InterfaceMonitor interfaces, TimeProvider time, Random random, ILogger logger)
    {
        _options = options;
        _socket = socket;
        _interfaces = interfaces;
        _time = time;
        _logger = logger;
        _responder = options.Publish is { } profile ? new MdnsResponder(profile, time, random, logger) : null;
        _browser = new MdnsBrowser(options.EffectiveServiceType, time, random, logger);
        _wake = time.CreateTimer(_ => _control.Writer.TryWrite(MdnsDiscoveryInput.Wake), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_responder is not null)
        {
            _responder.Renamed += name => _logger.LogInformation("mDNS: our name was taken on the LAN; now announcing as \"{Name}\"", name);
        }
    }

    public event Action<PeerSighting>? Seen;

    public event Action<DeviceId>? Gone;

    public IReadOnlyCollection<PeerSighting> Nearby
    {
        get
        {
            lock (_gate)
            {
                return [.. _nearby.Values];
            }
        }
    }

    /// <summary>Received packets that did not decode (dropped).</summary>
    public long MalformedPackets => Interlocked.Read(ref _malformed);

    /// <summary>Datagrams the socket refused to send (interface gone, no route).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Exceptions an engine threw while handling an input (logged; the loop carried on).</summary>
    public long EngineFailures => Interlocked.Read(ref _engineFailures);

    /// <summary>The instance name we announce now (after conflict renames), or null when browse-only.</summary>
    public string? InstanceName => _responder?.InstanceName;

    /// <summary>Starts the loop: reads the interfaces, starts probing/announcing and browsing.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("mDNS discovery was already started");
            }

            _started = true;
        }

        _interfaces.Changed += OnInterfacesChanged;
        var current = _interfaces.Start();
        _loop = Task.Run(() => RunAsync(current));
    }

    public async ValueTask DisposeAsync()
    {
        bool started;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            started = _started;
        }

        _interfaces.Changed -= OnInterfacesChanged;
        if (started)
        {
            _control.Writer.TryWrite(MdnsDiscoveryInput.Stop);
            await _loop.ConfigureAwait(false);
        }

        _control.Writer.TryComplete();
        await _wake.DisposeAsync().ConfigureAwait(false);
        _interfaces.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        lock (_gate)
        {
            _nearby = [];
        }
    }

    private void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces) => _control.Writer.TryWrite(MdnsDiscoveryInput.InterfacesChanged);

    private async Task RunAsync(IReadOnlyList<MdnsInterface> interfaces)
    {
        _browser.Found += OnBrowserEvent;
        _browser.Updated += OnBrowserEvent;
        _browser.Lost += OnBrowserEvent;
        await Step(() => ApplyInterfaces(interfaces)).ConfigureAwait(false);
        await Step(() => [.. _responder?.Start() ?? [], .. _browser.Start()]).ConfigureAwait(false);
        Task<MdnsDatagram>? receive = null;
        Task<bool>? control = null;
        var receiving = true;
        while (true)
        {
            if (receiving)
            {
                receive ??= _socket.ReceiveAsync(_stop.Token).AsTask();
            }

            // Both waits survive across turns: only one read may be pending on each at a time.
            control ??= _control.Reader.WaitToReadAsync().AsTask();
            Task[] waits = receive is null ? [control] : [receive, control];
            await Task.WhenAny(waits).ConfigureAwait(false);
            if (control.IsCompleted)
            {
                control = null;
            }

            while (_control.Reader.TryRead(out var input))
            {
                if (input == MdnsDiscoveryInput.Stop)
                {
                    await Step(() => [.. _responder?.Stop() ?? [], .. _browser.Stop()]).ConfigureAwait(false);
                    return;
                }

                await Step(() => input == MdnsDiscoveryInput.InterfacesChanged ? ApplyInterfaces(_interfaces.Current) : Poll()).ConfigureAwait(false);
            }

            if (receive is { IsCompleted: true })
            {
                var finished = receive;
                receive = null;
                if (finished.IsCompletedSuccessfully)
                {
                    var datagram = await finished.ConfigureAwait(false);
                    await Step(() => OnDatagram(datagram)).ConfigureAwait(false);
                }
                else
                {
                    // The socket is closed (disposal under way) or broken: keep answering to Stop.
                    _logger.LogDebug("mDNS receive ended: {Reason}", finished.Exception?.GetBaseException().Message ?? "cancelled");
                    receiving = false;
                }
            }
        }
    }

    /// <summary>
    /// One input: let the engines act, send what they produced, refresh the sightings and re-arm
    /// the wake-up timer. An engine exception is a bug, logged with its stack; the loop goes on.
    /// </summary>
    private async Task Step(Func<IReadOnlyList<MdnsPacket>> act)
    {
        IReadOnlyList<MdnsPacket> packets;
        try
        {
            packets = act();
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _engineFailures);
            _logger.LogError(ex, "mDNS engine failed on an input; carrying on");
            packets = [];
        }

        foreach (var packet in packets)
        {
            await SendAsync(packet).ConfigureAwait(false);
        }

        UpdateSightings();
        ArmWake();
    }

    private IReadOnlyList<MdnsPacket> ApplyInterfaces(IReadOnlyList<MdnsInterface> interfaces)
    {
        // Join the groups first: the engines' first probes and queries go out right away.
        _socket.SetInterfaces(interfaces);
        return [.. _responder?.SetInterfaces(interfaces) ?? [], .. _browser.SetInterfaces(interfaces)];
    }

    private IReadOnlyList<MdnsPacket> Poll() => [.. _responder?.Poll() ?? [], .. _browser.Poll()];

    private IReadOnlyList<MdnsPacket> OnDatagram(MdnsDatagram datagram)
    {
        DnsMessage message;
        try
        {
            message = DnsCodec.Decode(datagram.Payload);
        }
        catch (DnsFormatException ex)
        {
            Interlocked.Increment(ref _malformed);
            _logger.LogDebug("mDNS: dropped a malformed packet from {Source}: {Reason}", datagram.Source, ex.Message);
            return [];
        }

        if (message.IsResponse)
        {
            NoteResponse(message);
        }

        return [.. _responder?.OnPacket(message, datagram.Source, datagram.InterfaceIndex) ?? [], .. _browser.OnPacket(message, datagram.Source, datagram.InterfaceIndex)];
    }

    /// <summary>
    /// Notes when each instance was last heard from (for LastSeen), and goodbyes: a PTR or SRV
    /// with TTL 0 for an instance hides it at once, unless the same message also carries a live
    /// PTR or SRV for it (a responder changing its port says goodbye to the old SRV and announces
    /// the new one together); any live record for it shows it again.
    /// </summary>
    private void NoteResponse(DnsMessage message)
    {
        var now = _time.GetUtcNow();
        var service = _options.EffectiveServiceType;
        var farewells = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var alive = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            if (InstanceOf(record, service) is not { } instance)
            {
                continue;
            }

            if (record.Ttl > 0)
            {
                alive.Add(instance);
                _heard[instance] = now;
            }
            else if (record.Type is DnsRecordType.PTR or DnsRecordType.SRV)
            {
                farewells.Add(instance);
            }
        }

        foreach (var instance in alive)
        {
            _hiddenUntil.Remove(instance);
        }

        foreach (var instance in farewells.Where(i => !alive.Contains(i)))
        {
            _hiddenUntil[instance] = now + _options.GoodbyeHide;
        }
    }

    /// <summary>The instance label a record speaks for: PTR service → instance, or SRV/TXT named instance.service.</summary>
    private static string? InstanceOf(DnsRecord record, DnsName service)
    {
        var name = record.Type == DnsRecordType.PTR && record.Name.Equals(service) && record.Data is PtrData ptr ? ptr.Target : record.Name;
        return name.Labels.Count == service.Labels.Count + 1 && name.IsSubdomainOf(service) ? name.Labels[0] : null;
    }

    private void OnBrowserEvent(DiscoveredService service) => _heard[service.InstanceName] = _time.GetUtcNow();

    /// <summary>Rebuilds the sightings from the browser's services and raises Seen/Gone for the differences.</summary>
    private void UpdateSightings()
    {
        var now = _time.GetUtcNow();
        foreach (var (instance, until) in _hiddenUntil.ToList())
        {
            if (until <= now)
            {
                _hiddenUntil.Remove(instance);
            }
        }

        var services = _browser.Services;
        var live = services.Select(s => s.InstanceName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var instance in _heard.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _heard.Remove(instance);
        }

        var next = new Dictionary<DeviceId, PeerSighting>();
        foreach (var group in services
            .Where(s => !_hiddenUntil.ContainsKey(s.InstanceName))
            .Select(s => (Service: s, Device: DeviceOf(s)))
            .Where(p => p.Device is { } d && d != _options.Self)
            .GroupBy(p => p.Device!.Value))
        {
            var ordered = group.Select(p => p.Service).OrderBy(s => s.InstanceName, StringComparer.Ordinal).ThenBy(s => s.InterfaceIndex).ToList();
            var endpoints = ordered.SelectMany(s => s.Endpoints).Distinct()
                .OrderBy(e => e.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
                .ToList();
            var heard = ordered.Select(s => _heard.TryGetValue(s.InstanceName, out var at) ? at : now).Max();
            next[group.Key] = new PeerSighting(group.Key, Printable(ordered[0].InstanceName), endpoints, ProtocolOf(ordered[0]), heard);
        }

        List<PeerSighting> seen = [];
        List<DeviceId> gone;
        lock (_gate)
        {
            foreach (var (device, sighting) in next)
            {
                if (!_nearby.TryGetValue(device, out var before) || !before.SameFacts(sighting))
                {
                    seen.Add(sighting);
                }
            }

            gone = [.. _nearby.Keys.Where(d => !next.ContainsKey(d))];
            _nearby = next;
        }

        foreach (var device in gone)
        {
            _logger.LogInformation("mDNS: {Device} left", device.ToShortString());
            Notify(() => Gone?.Invoke(device));
        }

        foreach (var sighting in seen)
        {
            _logger.LogInformation("mDNS: {Device} \"{Name}\" at {Endpoints}", sighting.Device.ToShortString(), sighting.Name, string.Join(", ", sighting.Endpoints));
            Notify(() => Seen?.Invoke(sighting));
        }
    }

    /// <summary>Runs a subscriber; one that throws (say, the store is busy) must not end the discovery loop.</summary>
    private void Notify(Action raise)
    {
        try
        {
            raise();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "mDNS: a subscriber to sightings failed: {Reason}", ex.Message);
        }
    }

    /// <summary>
    /// An instance name as we show and log it: any LAN host picks these, so control characters
    /// (terminal escapes, line breaks that would forge log lines) become U+FFFD.
    /// </summary>
    internal static string Printable(string name) =>
        string.Create(name.Length, name, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
            }
        });

    /// <summary>The DeviceId in TXT <c>id=</c>; null (not a p2psync node we can use) when missing or malformed.</summary>
    private static DeviceId? DeviceOf(DiscoveredService service) =>
        Lookup(service.Txt, "id") is { } text && DeviceId.TryParse(text, out var id) ? id : null;

    private static int ProtocolOf(DiscoveredService service) =>
        Lookup(service.Txt, "proto") is { } text && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : 0;

    // TXT keys are case-insensitive (RFC 6763 §6.4) whatever comparer the dictionary was built with.
    private static string? Lookup(IReadOnlyDictionary<string, string> txt, string key) =>
        txt.TryGetValue(key, out var value) ? value : txt.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private void ArmWake()
    {
        var next = Earliest(_responder?.NextWakeUp, _browser.NextWakeUp);
        foreach (var until in _hiddenUntil.Values)
        {
            next = Earliest(next, until);
        }

        if (next is null)
        {
            _wake.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = next.Value - _time.GetUtcNow();
        _wake.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private async Task SendAsync(MdnsPacket packet)
    {
        IReadOnlyList<byte[]> datagrams;
        try
        {
            datagrams = DnsCodec.EncodeSplit(packet.Message, _options.MaxPacketBytes);
        }
        catch (DnsFormatException ex)
        {
            Interlocked.Increment(ref _engineFailures);
            _logger.LogError(ex, "mDNS: an engine produced a message that cannot be encoded");
            return;
        }

        foreach (var datagram in datagrams)
        {
            try
            {
                await _socket.SendAsync(datagram, packet.Destination, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // An interface that just went away, or no route yet: the next change of interfaces sorts it out.
                Interlocked.Increment(ref _sendFailures);
                _logger.LogDebug("mDNS: sending to {Destination} failed: {Reason}", packet.Destination, ex.Message);
            }
        }
    }
}
