using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Browses one DNS-SD service type (RFC 6762 §5.2, RFC 6763) as a pure state machine: no
/// sockets, no timers. The host feeds it interfaces, packets and the passing of time
/// (<see cref="Poll"/> at <see cref="NextWakeUp"/>); every entry point returns what to send.
/// </summary>
/// <remarks>
/// Continuous querying per interface: the first PTR query 20-120 ms after start (or after the
/// interface appears), then 1 s, 2 s, 4 s ... capped at an hour, listing the PTRs it knows with
/// more than half their TTL left (§7.1). The cache honours TTLs, refreshes at 80/85/90/95 %,
/// treats a goodbye as "expire in 1 s" and a cache-flush as "older records of this name and type
/// expire in 1 s" (§10). An instance with a missing SRV, TXT or address is asked for. A service is
/// <see cref="Found"/> once PTR, SRV, TXT and an address are all known, <see cref="Updated"/> when
/// its host, port, TXT or addresses change, and <see cref="Lost"/> when that stops being true
/// (expiry, goodbye, interface gone). A goodbye takes the record out of the picture at once
/// (Lost fires immediately) while the cache keeps it for its second of grace, so a correction
/// within that second finds it again. Not thread-safe.
/// </remarks>
internal sealed class MdnsBrowser
{
    /// <summary>Most records cached at once: plenty for a LAN, and a ceiling for hostile floods.</summary>
    public const int CacheCapacity = 1024;

    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly RecordCache _cache;
    private readonly SortedDictionary<int, BrowserInterface> _interfaces = [];
    private readonly Dictionary<(int Interface, DnsName Name, DnsRecordType Type), ResolveQuestion> _resolving = [];
    private readonly Dictionary<(int Interface, DnsName Instance), DiscoveredService> _services = [];
    private RunState _state = RunState.NotStarted;
    private bool _loggedFull;

    public MdnsBrowser(DnsName serviceType, TimeProvider timeProvider, Random random, ILogger logger)
    {
        ServiceType = serviceType ?? throw new ArgumentNullException(nameof(serviceType));
        if (serviceType.IsRoot)
        {
            throw new ArgumentException("the service type cannot be the root name", nameof(serviceType));
        }

        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _cache = new RecordCache(random, CacheCapacity);
    }

    private enum RunState
    {
        NotStarted,
        Running,
        Stopped,
    }

    /// <summary>A service became fully known on an interface.</summary>
    public event Action<DiscoveredService>? Found;

    /// <summary>A known service changed host, port, TXT or addresses.</summary>
    public event Action<DiscoveredService>? Updated;

    /// <summary>A service is gone from an interface (goodbye, expiry, or the interface left); carries its last known facts.</summary>
    public event Action<DiscoveredService>? Lost;

    public DnsName ServiceType { get; }

    /// <summary>Every service fully known now (one entry per instance and interface).</summary>
    public IReadOnlyCollection<DiscoveredService> Services => _services.Values.ToList();

    /// <summary>Records in the cache (for diagnostics and tests).</summary>
    public int CachedRecordCount => _cache.Count;

    /// <summary>When <see cref="Poll"/> must next be called; null when nothing is pending.</summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            if (_state != RunState.Running)
            {
                return null;
            }

            var next = _cache.NextEvent;
            foreach (var at in _interfaces.Values.Select(i => i.NextQueryAt).Concat(_resolving.Values.Select(r => (DateTimeOffset?)r.NextAt)))
            {
                if (at is { } value && (next is null || value < next))
                {
                    next = value;
                }
            }

            return next;
        }
    }

    /// <summary>Starts continuous querying on every known interface.</summary>
    public IReadOnlyList<MdnsPacket> Start()
    {
        if (_state != RunState.NotStarted)
        {
            throw new InvalidOperationException($"the browser was already {(_state == RunState.Running ? "started" : "stopped")}");
        }

        _state = RunState.Running;
        var now = _time.GetUtcNow();
        foreach (var nic in _interfaces.Values)
        {
            ScheduleFirstQuery(nic, now);
        }

        return Poll();
    }

    /// <summary>Stops querying; the browser is inert afterwards and raises no more events.</summary>
    public IReadOnlyList<MdnsPacket> Stop()
    {
        _state = RunState.Stopped;
        _resolving.Clear();
        _services.Clear();
        return [];
    }

    /// <summary>
    /// The interfaces now up. A new one gets a fresh query 20-120 ms later; a gone one loses its
    /// cache, so its services are <see cref="Lost"/>.
    /// </summary>
    /// <exception cref="ArgumentException">a null entry or two interfaces with one index; nothing changes then.</exception>
    public IReadOnlyList<MdnsPacket> SetInterfaces(IReadOnlyList<MdnsInterface> interfaces)
    {
        MdnsInterfaceList.Validate(interfaces);
        var now = _time.GetUtcNow();
        foreach (var gone in _interfaces.Keys.Where(i => interfaces.All(n => n.Index != i)).ToList())
        {
            _interfaces.Remove(gone);
            var dropped = _cache.RemoveInterface(gone);
            foreach (var key in _resolving.Keys.Where(k => k.Interface == gone).ToList())
            {
                _resolving.Remove(key);
            }

            _logger.LogDebug("mDNS browser: interface {Index} is gone with {Count} cached records", gone, dropped);
        }

        foreach (var nic in interfaces)
        {
            if (_interfaces.TryGetValue(nic.Index, out var known))
            {
                known.Nic = nic;
                known.Links = MdnsLink.Of(nic);
                continue;
            }

            var added = new BrowserInterface(nic);
            _interfaces.Add(nic.Index, added);
            if (_state == RunState.Running)
            {
                ScheduleFirstQuery(added, now);
            }
        }

        if (_state != RunState.Running)
        {
            return [];
        }

        Reconcile();
        return Poll();
    }

    /// <summary>Takes in one received packet: caches the records that concern the service type.</summary>
    public IReadOnlyList<MdnsPacket> OnPacket(DnsMessage message, IPEndPoint source, int interfaceIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(source);
        if (_state != RunState.Running || !_interfaces.ContainsKey(interfaceIndex)
            || !message.IsResponse || message.Opcode != 0 || message.Rcode != 0 || source.Port != MdnsNames.Port)
        {
            // Queries carry nothing for us; §6: responses not from port 5353 are not mDNS; §18: odd opcodes/rcodes are ignored.
            return [];
        }

        var now = _time.GetUtcNow();
        var records = message.Answers.Concat(message.Additionals).ToList();

        // Addresses are only wanted for hosts that an SRV of ours names; the SRV may come later in
        // the same packet, so service records go in first.
        foreach (var record in records.Where(r => IsServicePointer(r) || IsInstanceRecord(r)))
        {
            Cache(interfaceIndex, record, now);
        }

        var hosts = _cache.All
            .Where(e => e.InterfaceIndex == interfaceIndex && e.Record.Data is SrvData)
            .Select(e => ((SrvData)e.Record.Data).Target)
            .ToHashSet();
        foreach (var record in records.Where(r => IsAddress(r) && hosts.Contains(r.Name)))
        {
            Cache(interfaceIndex, record, now);
        }

        Reconcile();
        UpdateResolveQuestions(now);
        return Poll();
    }

    /// <summary>Expires records, and sends the queries that are due (continuous, refresh, resolve).</summary>
    public IReadOnlyList<MdnsPacket> Poll()
    {
        if (_state != RunState.Running)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var questions = new Dictionary<int, List<DnsQuestion>>();
        _cache.RemoveExpired(now);
        foreach (var nic in _interfaces.Values)
        {
            if (nic.NextQueryAt is { } at && at <= now)
            {
                Ask(questions, nic.Nic.Index, ServiceType, DnsRecordType.PTR);
                nic.NextQueryAt = now + nic.Interval;
                nic.Interval = Min(nic.Interval * 2, MdnsTiming.QueryMaxInterval);
            }
        }

        foreach (var entry in _cache.TakeDueRefreshes(now))
        {
            Ask(questions, entry.InterfaceIndex, entry.Record.Name, entry.Record.Type);
        }

        Reconcile();
        UpdateResolveQuestions(now);
        foreach (var ((index, name, type), resolve) in _resolving)
        {
            if (resolve.NextAt <= now)
            {
                Ask(questions, index, name, type);
                resolve.NextAt = now + resolve.Interval;
                resolve.Interval = Min(resolve.Interval * 2, MdnsTiming.ResolveMaxInterval);
            }
        }

        var output = new List<MdnsPacket>();
        foreach (var (index, asked) in questions)
        {
            if (!_interfaces.TryGetValue(index, out var nic))
            {
                continue;
            }

            var query = DnsMessage.Query(asked, KnownAnswers(index, asked, now));
            foreach (var link in nic.Links)
            {
                output.Add(new MdnsPacket(query, link.Destination));
            }
        }

        return output;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static void Ask(Dictionary<int, List<DnsQuestion>> questions, int index, DnsName name, DnsRecordType type)
    {
        if (!questions.TryGetValue(index, out var list))
        {
            list = [];
            questions.Add(index, list);
        }

        var question = new DnsQuestion(name, type, false);
        if (!list.Contains(question))
        {
            list.Add(question);
        }
    }

    private void ScheduleFirstQuery(BrowserInterface nic, DateTimeOffset now)
    {
        var spread = MdnsTiming.FirstQueryMaxDelay - MdnsTiming.FirstQueryMinDelay;
        nic.NextQueryAt = now + MdnsTiming.FirstQueryMinDelay + TimeSpan.FromTicks((long)(_random.NextDouble() * spread.Ticks));
        nic.Interval = MdnsTiming.QueryInitialInterval;
    }

    private void Cache(int interfaceIndex, DnsRecord record, DateTimeOffset now)
    {
        if (!_cache.Add(interfaceIndex, record, now) && !_loggedFull)
        {
            _loggedFull = true;
            _logger.LogWarning("mDNS browser: cache full ({Capacity} records, a flood?); the records heard least recently make room", CacheCapacity);
        }
    }

    /// <summary>§7.1: cached answers to these questions with more than half their TTL left, at their remaining TTL.</summary>
    private List<DnsRecord> KnownAnswers(int index, List<DnsQuestion> questions, DateTimeOffset now)
    {
        var known = new List<DnsRecord>();
        foreach (var entry in _cache.All)
        {
            if (entry.InterfaceIndex != index || entry.SaidGoodbye)
            {
                continue;
            }

            var remaining = entry.RemainingSeconds(now);
            var record = entry.Record;
            if (remaining > record.Ttl / 2.0
                && questions.Any(q => q.Name.Equals(record.Name) && (q.Type == record.Type || q.Type == DnsRecordType.ANY)))
            {
                known.Add(record with { Ttl = (uint)remaining, CacheFlush = false });
            }
        }

        return known;
    }

    private bool IsInstanceName(DnsName name) =>
        name.Labels.Count == ServiceType.Labels.Count + 1 && name.IsSubdomainOf(ServiceType);

    private bool IsServicePointer(DnsRecord record) =>
        record.Type == DnsRecordType.PTR && record.Data is PtrData ptr && record.Name.Equals(ServiceType) && IsInstanceName(ptr.Target);

    private bool IsInstanceRecord(DnsRecord record) =>
        ((record.Type == DnsRecordType.SRV && record.Data is SrvData) || (record.Type == DnsRecordType.TXT && record.Data is TxtData))
        && IsInstanceName(record.Name);

    private static bool IsAddress(DnsRecord record) =>
        record.Data is AddressData address && address.RecordType == record.Type;

    /// <summary>The instances announced on an interface by a live PTR.</summary>
    private IEnumerable<DnsName> InstancesOn(int index) =>
        _cache.Find(index, ServiceType, DnsRecordType.PTR).Select(e => ((PtrData)e.Record.Data).Target).Distinct();

    /// <summary>Keeps asking for what known instances lack; stops asking once it arrived or the instance is gone.</summary>
    private void UpdateResolveQuestions(DateTimeOffset now)
    {
        var needed = new HashSet<(int, DnsName, DnsRecordType)>();
        foreach (var index in _interfaces.Keys)
        {
            foreach (var instance in InstancesOn(index))
            {
                var srv = _cache.Find(index, instance, DnsRecordType.SRV).FirstOrDefault();
                if (srv is null)
                {
                    needed.Add((index, instance, DnsRecordType.SRV));
                }

                if (!_cache.Find(index, instance, DnsRecordType.TXT).Any())
                {
                    needed.Add((index, instance, DnsRecordType.TXT));
                }

                if (srv?.Record.Data is SrvData { Target: var host } && !Addresses(index, host).Any())
                {
                    needed.Add((index, host, DnsRecordType.A));
                    needed.Add((index, host, DnsRecordType.AAAA));
                }
            }
        }

        foreach (var key in _resolving.Keys.Where(k => !needed.Contains(k)).ToList())
        {
            _resolving.Remove(key);
        }

        var added = needed.Where(k => !_resolving.ContainsKey(k)).ToList();
        if (added.Count == 0)
        {
            return;
        }

        // A short wait first: the rest of a split announcement is often still on its way. One
        // delay for everything that became missing together, so it is asked in one query.
        var spread = MdnsTiming.SharedAnswerMaxDelay - MdnsTiming.SharedAnswerMinDelay;
        var at = now + MdnsTiming.SharedAnswerMinDelay + TimeSpan.FromTicks((long)(_random.NextDouble() * spread.Ticks));
        foreach (var key in added)
        {
            _resolving.Add(key, new ResolveQuestion(at));
        }
    }

    private IEnumerable<IPAddress> Addresses(int index, DnsName host) =>
        _cache.Find(index, host, DnsRecordType.A).Concat(_cache.Find(index, host, DnsRecordType.AAAA))
            .Select(e => ((AddressData)e.Record.Data).Address);

    /// <summary>Recomputes the fully known services and raises Found/Updated/Lost for the differences.</summary>
    private void Reconcile()
    {
        var current = new Dictionary<(int, DnsName), DiscoveredService>();
        foreach (var index in _interfaces.Keys)
        {
            foreach (var instance in InstancesOn(index))
            {
                if (Resolve(index, instance) is { } service)
                {
                    current[(index, instance)] = service;
                }
            }
        }

        var found = new List<DiscoveredService>();
        var updated = new List<DiscoveredService>();
        var lost = new List<DiscoveredService>();
        foreach (var (key, service) in current)
        {
            if (!_services.TryGetValue(key, out var before))
            {
                found.Add(service);
            }
            else if (!before.SameFacts(service))
            {
                updated.Add(service);
            }
        }

        lost.AddRange(_services.Where(s => !current.ContainsKey(s.Key)).Select(s => s.Value));
        _services.Clear();
        foreach (var (key, service) in current)
        {
            _services.Add(key, service);
        }

        // Raised after the state is consistent, so a handler may read Services.
        foreach (var service in lost)
        {
            _logger.LogDebug("mDNS browser: lost {Instance} on interface {Index}", service.InstanceName, service.InterfaceIndex);
            Lost?.Invoke(service);
        }

        foreach (var service in found)
        {
            _logger.LogDebug("mDNS browser: found {Instance} at {Endpoints}", service.InstanceName, string.Join(", ", service.Endpoints));
            Found?.Invoke(service);
        }

        foreach (var service in updated)
        {
            Updated?.Invoke(service);
        }
    }

    private DiscoveredService? Resolve(int index, DnsName instance)
    {
        if (_cache.Find(index, instance, DnsRecordType.SRV).FirstOrDefault()?.Record.Data is not SrvData srv
            || _cache.Find(index, instance, DnsRecordType.TXT).FirstOrDefault()?.Record.Data is not TxtData txt)
        {
            return null;
        }

        var endpoints = Addresses(index, srv.Target)
            .Distinct()
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ThenBy(a => Convert.ToHexString(a.GetAddressBytes()), StringComparer.Ordinal)
            .Select(a => new IPEndPoint(WithScope(a, index), srv.Port))
            .ToList();
        return endpoints.Count == 0
            ? null
            : new DiscoveredService(instance.Labels[0], srv.Target, srv.Port, txt.ToDictionary(), endpoints, index);
    }

    /// <summary>A link-local IPv6 address is only reachable through the interface it was seen on, so it carries that scope.</summary>
    private static IPAddress WithScope(IPAddress address, int index) =>
        address.IsIPv6LinkLocal ? new IPAddress(address.GetAddressBytes(), index) : address;
}
