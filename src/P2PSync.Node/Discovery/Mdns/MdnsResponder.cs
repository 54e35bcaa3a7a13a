using System.Net;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Publishes one DNS-SD service instance (RFC 6762/6763) as a pure state machine: it reads no
/// socket and sleeps on no timer. The host feeds it interfaces, packets and the passing of time
/// (<see cref="Poll"/> at <see cref="NextWakeUp"/>); every entry point returns what to send.
/// </summary>
/// <remarks>
/// Per interface: a random 0-250 ms wait, three probes 250 ms apart (QU on the first, the
/// proposed records in the authority section), then two announcements a second apart, then it
/// answers. Conflicts: a response naming our instance or host with other data while probing
/// renames ("Name (2)", "host-2") and probes again; the same once established sends every
/// interface back to probing (§9), which renames only if the other host defends. Simultaneous
/// probes are settled by §8.2's lexicographic comparison; the loser waits a second and probes
/// again. Answers: unique records at once, shared ones (PTR) after 20-120 ms, with SRV/TXT/A/AAAA
/// as additionals (RFC 6763 §12); QU questions get unicast when we multicast the record within
/// the last quarter of its TTL, multicast otherwise (§5.4; a probe's QU always gets unicast);
/// legacy queries (source port not 5353) get a unicast answer with their id and TTLs of at most
/// 10 s (§6.7); known answers with at least half our TTL are not repeated (§7.1). Not
/// thread-safe: the host calls one method at a time.
/// </remarks>
internal sealed class MdnsResponder
{
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly SortedDictionary<int, ResponderInterface> _interfaces = [];
    private readonly AnswerScheduler _scheduler = new();
    private readonly ConflictThrottle _conflicts = new();
    private ServiceProfile _profile;
    private int _instanceAttempt = 1;
    private int _hostAttempt = 1;
    private RunState _state = RunState.NotStarted;

    /// <exception cref="ArgumentException">the profile cannot be published (empty or invalid names, TXT pairs the wire cannot carry).</exception>
    public MdnsResponder(ServiceProfile profile, TimeProvider timeProvider, Random random, ILogger logger)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Validate(profile);
        _profile = profile;
        InstanceName = InstanceNaming.Instance(profile.InstanceName, 1);
        InstanceFullName = profile.EffectiveServiceType.Prepend(InstanceName);
        HostName = MdnsNames.Local.Prepend(InstanceNaming.Host(profile.HostLabel, 1));
    }

    private enum RunState
    {
        NotStarted,
        Running,
        Stopped,
    }

    /// <summary>Raised with the new instance label after a conflict forced a rename.</summary>
    public event Action<string>? Renamed;

    /// <summary>The instance label now claimed (after renames).</summary>
    public string InstanceName { get; private set; }

    /// <summary>The full instance name now claimed, e.g. <c>Laptop (2)._p2psync._tcp.local</c>.</summary>
    public DnsName InstanceFullName { get; private set; }

    /// <summary>The host name now claimed, e.g. <c>p2psync-abcdefghij.local</c>.</summary>
    public DnsName HostName { get; private set; }

    /// <summary>When <see cref="Poll"/> must next be called; null when nothing is pending.</summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            if (_state != RunState.Running)
            {
                return null;
            }

            DateTimeOffset? next = _scheduler.NextDue;
            foreach (var nic in _interfaces.Values)
            {
                if (nic.NextActionAt is { } at && (next is null || at < next))
                {
                    next = at;
                }
            }

            return next;
        }
    }

    /// <summary>Where the responder stands on an interface (null when the interface is unknown).</summary>
    public ResponderPhase? PhaseOn(int interfaceIndex) =>
        _interfaces.TryGetValue(interfaceIndex, out var nic) ? nic.Phase : null;

    /// <summary>Starts probing on every known interface (after a random 0-250 ms wait).</summary>
    public IReadOnlyList<MdnsPacket> Start()
    {
        if (_state != RunState.NotStarted)
        {
            throw new InvalidOperationException($"the responder was already {(_state == RunState.Running ? "started" : "stopped")}");
        }

        _state = RunState.Running;
        var now = _time.GetUtcNow();
        foreach (var nic in _interfaces.Values)
        {
            BeginProbing(nic, now);
        }

        _logger.LogDebug("mDNS responder for {Instance} on {Host} started on {Count} interfaces", InstanceFullName, HostName, _interfaces.Count);
        return Poll();
    }

    /// <summary>
    /// The interfaces now up. New ones probe and announce; gone ones are forgotten (no goodbye is
    /// possible there); changed addresses get a goodbye for the old ones and a re-announcement.
    /// </summary>
    /// <exception cref="ArgumentException">a null entry or two interfaces with one index; nothing changes then.</exception>
    public IReadOnlyList<MdnsPacket> SetInterfaces(IReadOnlyList<MdnsInterface> interfaces)
    {
        MdnsInterfaceList.Validate(interfaces);
        var now = _time.GetUtcNow();
        var output = new List<MdnsPacket>();
        foreach (var gone in _interfaces.Keys.Where(i => interfaces.All(n => n.Index != i)).ToList())
        {
            _interfaces.Remove(gone);
            _scheduler.ForgetInterface(gone);
            _logger.LogDebug("mDNS responder: interface {Index} is gone", gone);
        }

        foreach (var nic in interfaces)
        {
            if (!_interfaces.TryGetValue(nic.Index, out var state))
            {
                state = new ResponderInterface(nic, Build(nic));
                _interfaces.Add(nic.Index, state);
                if (_state == RunState.Running)
                {
                    BeginProbing(state, now);
                }

                continue;
            }

            var sameAddresses = state.Nic.Addresses.SequenceEqual(nic.Addresses);
            state.Nic = nic;
            if (sameAddresses)
            {
                // A new name for logs only: nothing we publish changed.
                continue;
            }

            state.Links = MdnsLink.Of(nic);
            state.Records = Build(nic);
            _scheduler.KeepOnlyLinks(_interfaces.Values.SelectMany(n => n.Links).ToList());
            if (_state == RunState.Running && state.Answers)
            {
                Reannounce(state, now, output);
            }
        }

        if (_state == RunState.Running)
        {
            output.AddRange(Poll());
        }

        return output;
    }

    /// <summary>
    /// Publishes a changed profile. A new port or TXT is re-announced with a goodbye for the old
    /// records in the same message (so browsers see one update, not a loss and a find); a new
    /// instance name, host label or service type withdraws everything and probes afresh.
    /// </summary>
    /// <exception cref="ArgumentException">the profile cannot be published; nothing changes then.</exception>
    public IReadOnlyList<MdnsPacket> UpdateProfile(ServiceProfile profile)
    {
        Validate(profile);
        var now = _time.GetUtcNow();
        var output = new List<MdnsPacket>();
        var renamed = !string.Equals(profile.InstanceName, _profile.InstanceName, StringComparison.Ordinal)
            || !string.Equals(profile.HostLabel, _profile.HostLabel, StringComparison.Ordinal)
            || !profile.EffectiveServiceType.Equals(_profile.EffectiveServiceType);
        _profile = profile;
        _scheduler.Clear();
        if (renamed)
        {
            SendGoodbyes(now, output);
            _instanceAttempt = 1;
            _hostAttempt = 1;
            ApplyNames();
            foreach (var nic in _interfaces.Values)
            {
                nic.Records = Build(nic.Nic);
                if (_state == RunState.Running)
                {
                    BeginProbing(nic, now);
                }
            }
        }
        else
        {
            foreach (var nic in _interfaces.Values)
            {
                nic.Records = Build(nic.Nic);
                if (_state == RunState.Running && nic.Answers)
                {
                    Reannounce(nic, now, output);
                }
            }
        }

        if (_state == RunState.Running)
        {
            output.AddRange(Poll());
        }

        return output;
    }

    /// <summary>Handles one received packet: conflicts, probe tie-breaks and answers.</summary>
    /// <param name="message">The decoded packet.</param>
    /// <param name="source">Who sent it (a port other than 5353 marks a legacy querier).</param>
    /// <param name="interfaceIndex">The interface it arrived on.</param>
    public IReadOnlyList<MdnsPacket> OnPacket(DnsMessage message, IPEndPoint source, int interfaceIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(source);
        if (_state != RunState.Running || !_interfaces.TryGetValue(interfaceIndex, out var nic)
            || message.Opcode != 0 || message.Rcode != 0)
        {
            // §18.3/§18.11: other opcodes and rcodes are ignored, as is traffic from interfaces we do not serve.
            return [];
        }

        var now = _time.GetUtcNow();
        var link = new MdnsLink(interfaceIndex, source.AddressFamily);
        var output = new List<MdnsPacket>();
        if (message.IsResponse)
        {
            // §6: responses not from port 5353 are not mDNS responses and are ignored.
            if (source.Port == MdnsNames.Port)
            {
                OnResponse(message, nic, link, now, output);
            }
        }
        else
        {
            OnQuery(message, source, nic, link, now, output);
        }

        output.AddRange(_scheduler.Flush(now));
        return output;
    }

    /// <summary>Takes the timed steps that are due: probes, announcements, delayed answers.</summary>
    public IReadOnlyList<MdnsPacket> Poll()
    {
        if (_state != RunState.Running)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var output = new List<MdnsPacket>();
        foreach (var nic in _interfaces.Values)
        {
            if (nic.NextActionAt is { } at && at <= now)
            {
                Step(nic, now, output);
            }
        }

        output.AddRange(_scheduler.Flush(now));
        return output;
    }

    /// <summary>Withdraws everything: a goodbye (TTL 0) for every record announced anywhere. The responder is inert afterwards.</summary>
    public IReadOnlyList<MdnsPacket> Stop()
    {
        var output = new List<MdnsPacket>();
        if (_state == RunState.Running)
        {
            SendGoodbyes(_time.GetUtcNow(), output);
            _logger.LogDebug("mDNS responder for {Instance} stopped; {Count} goodbye packets", InstanceFullName, output.Count);
        }

        _state = RunState.Stopped;
        _scheduler.Clear();
        foreach (var nic in _interfaces.Values)
        {
            nic.NextActionAt = null;
        }

        return output;
    }

    private static void Validate(ServiceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (string.IsNullOrWhiteSpace(profile.InstanceName))
        {
            throw new ArgumentException("the instance name is empty", nameof(profile));
        }

        if (string.IsNullOrEmpty(profile.HostLabel) || profile.HostLabel.Contains('.', StringComparison.Ordinal)
            || System.Text.Encoding.UTF8.GetByteCount(profile.HostLabel) > DnsName.MaxLabelBytes)
        {
            // Unlike a device name, the host label is ours to choose; a bad one is a bug, not something to cut.
            throw new ArgumentException($"the host label \"{profile.HostLabel}\" must be one label of 1-63 bytes without dots", nameof(profile));
        }

        if (profile.Txt is null)
        {
            throw new ArgumentException("the TXT pairs are missing", nameof(profile));
        }

        try
        {
            var service = profile.EffectiveServiceType;
            _ = service.Prepend(InstanceNaming.Instance(profile.InstanceName, 1));
            _ = MdnsNames.Local.Prepend(InstanceNaming.Host(profile.HostLabel, 1));
            _ = ResponderRecordSet.TxtOf(profile.Txt);
        }
        catch (DnsFormatException ex)
        {
            throw new ArgumentException($"the profile cannot be published: {ex.Message}", nameof(profile), ex);
        }
    }

    private ResponderRecordSet Build(MdnsInterface nic) => ResponderRecordSet.Build(_profile, InstanceFullName, HostName, nic);

    private void ApplyNames()
    {
        InstanceName = InstanceNaming.Instance(_profile.InstanceName, _instanceAttempt);
        InstanceFullName = _profile.EffectiveServiceType.Prepend(InstanceName);
        HostName = MdnsNames.Local.Prepend(InstanceNaming.Host(_profile.HostLabel, _hostAttempt));
    }

    private void BeginProbing(ResponderInterface nic, DateTimeOffset now)
    {
        nic.Phase = ResponderPhase.WaitingToProbe;
        nic.Sent = 0;
        nic.NextActionAt = now + (_conflicts.IsThrottled(now)
            ? MdnsTiming.ConflictThrottle
            : RandomDelay(TimeSpan.Zero, MdnsTiming.ProbeStartMaxDelay));
    }

    private TimeSpan RandomDelay(TimeSpan min, TimeSpan max) =>
        min + TimeSpan.FromTicks((long)(_random.NextDouble() * (max - min).Ticks));

    private void Step(ResponderInterface nic, DateTimeOffset now, List<MdnsPacket> output)
    {
        switch (nic.Phase)
        {
            case ResponderPhase.WaitingToProbe or ResponderPhase.Probing when nic.Sent < MdnsTiming.ProbeCount:
                SendProbe(nic, unicastResponse: nic.Sent == 0, output);
                nic.Phase = ResponderPhase.Probing;
                nic.Sent++;
                nic.NextActionAt = now + MdnsTiming.ProbeInterval;
                break;
            case ResponderPhase.WaitingToProbe or ResponderPhase.Probing:
                // 250 ms of silence after the third probe: the names are ours on this link.
                _logger.LogDebug("mDNS: {Instance} and {Host} are ours on interface {Index}", InstanceFullName, HostName, nic.Nic.Index);
                nic.Phase = ResponderPhase.Announcing;
                nic.Sent = 0;
                Announce(nic, [], now, output);
                break;
            case ResponderPhase.Announcing:
                Announce(nic, [], now, output);
                break;
            default:
                nic.NextActionAt = null;
                break;
        }
    }

    private void SendProbe(ResponderInterface nic, bool unicastResponse, List<MdnsPacket> output)
    {
        // §8.1: one ANY question per name we claim, our proposed records in the authority section
        // (which is what a simultaneous prober compares, §8.2). The flush bit belongs to responses only.
        var questions = new List<DnsQuestion>
        {
            new(InstanceFullName, DnsRecordType.ANY, unicastResponse),
            new(HostName, DnsRecordType.ANY, unicastResponse),
        };
        var proposed = nic.Records.UniqueRecordsNamed(InstanceFullName)
            .Concat(nic.Records.UniqueRecordsNamed(HostName))
            .Select(r => r with { CacheFlush = false })
            .ToList();
        var probe = new DnsMessage(0, DnsFlags.None, questions, [], proposed, []);
        foreach (var link in nic.Links)
        {
            output.Add(new MdnsPacket(probe, link.Destination));
        }
    }

    /// <summary>One unsolicited response with every record; <paramref name="goodbyes"/> (TTL 0) ride along when records changed.</summary>
    private void Announce(ResponderInterface nic, IReadOnlyList<DnsRecord> goodbyes, DateTimeOffset now, List<MdnsPacket> output)
    {
        var message = DnsMessage.Response([.. goodbyes, .. nic.Records.All]);
        foreach (var link in nic.Links)
        {
            output.Add(new MdnsPacket(message, link.Destination));
            _scheduler.NoteMulticast(link, nic.Records.All, now);
        }

        nic.Announced = nic.Records;
        nic.Sent++;
        if (nic.Sent >= MdnsTiming.AnnouncementCount)
        {
            nic.Phase = ResponderPhase.Established;
            nic.NextActionAt = null;
        }
        else
        {
            nic.NextActionAt = now + MdnsTiming.AnnouncementInterval;
        }
    }

    /// <summary>Records changed on an interface that already answers: goodbye for what is gone and the new set, in one message, then the second announcement.</summary>
    private void Reannounce(ResponderInterface nic, DateTimeOffset now, List<MdnsPacket> output)
    {
        var goodbyes = nic.Announced is null
            ? []
            : nic.Announced.All.Where(old => !nic.Records.Contains(old)).Select(Goodbye).ToList();
        nic.Phase = ResponderPhase.Announcing;
        nic.Sent = 0;
        Announce(nic, goodbyes, now, output);
    }

    private static DnsRecord Goodbye(DnsRecord record) => record with { Ttl = 0, CacheFlush = false };

    private void SendGoodbyes(DateTimeOffset now, List<MdnsPacket> output)
    {
        foreach (var nic in _interfaces.Values)
        {
            if (nic.Announced is null)
            {
                continue;
            }

            // No cache-flush bit: a flush would also expire the other addresses of the set early,
            // and each goodbye already names exactly the rdata it withdraws (§10.1).
            var message = DnsMessage.Response(nic.Announced.All.Select(Goodbye).ToList());
            foreach (var link in nic.Links)
            {
                output.Add(new MdnsPacket(message, link.Destination));
                _scheduler.NoteMulticast(link, nic.Announced.All, now);
            }

            nic.Announced = null;
        }
    }

    /// <summary>True when some interface of ours owns exactly this record: our own packets come back to us (multicast loopback, several interfaces on one link).</summary>
    private bool OwnedAnywhere(DnsRecord record) => _interfaces.Values.Any(n => n.Records.Contains(record));

    private void OnResponse(DnsMessage message, ResponderInterface nic, MdnsLink link, DateTimeOffset now, List<MdnsPacket> output)
    {
        var records = message.Answers.Concat(message.Additionals).Where(r => r.Ttl > 0).ToList();
        foreach (var record in records)
        {
            var isInstance = record.Name.Equals(InstanceFullName);
            var isHost = record.Name.Equals(HostName);
            if ((!isInstance && !isHost) || OwnedAnywhere(record))
            {
                continue;
            }

            if (!nic.Answers)
            {
                // §8.1: while probing, any answer for a name we want means someone has it.
                _logger.LogInformation("mDNS: {Name} is taken on interface {Index} ({Type} record from another host); renaming", record.Name, nic.Nic.Index, record.Type);
                Rename(isInstance, now, output);
                return;
            }

            var ourTypes = isInstance ? new[] { DnsRecordType.SRV, DnsRecordType.TXT } : [DnsRecordType.A, DnsRecordType.AAAA];
            if (ourTypes.Contains(record.Type))
            {
                // §9: a unique record of ours with other data: probe again; the rename comes only
                // if the other host then defends the name.
                _logger.LogInformation("mDNS: conflicting {Type} record for {Name} on interface {Index}; probing again", record.Type, record.Name, nic.Nic.Index);
                _conflicts.Record(now);
                _scheduler.Clear();
                foreach (var each in _interfaces.Values)
                {
                    BeginProbing(each, now);
                }

                return;
            }
        }

        _scheduler.SuppressDuplicates(link, records);
    }

    private void Rename(bool instance, DateTimeOffset now, List<MdnsPacket> output)
    {
        _conflicts.Record(now);
        SendGoodbyes(now, output);
        _scheduler.Clear();
        if (instance)
        {
            _instanceAttempt++;
        }
        else
        {
            _hostAttempt++;
        }

        ApplyNames();
        foreach (var nic in _interfaces.Values)
        {
            nic.Records = Build(nic.Nic);
            BeginProbing(nic, now);
        }

        _logger.LogInformation("mDNS: now claiming {Instance} on {Host}", InstanceFullName, HostName);
        if (instance)
        {
            Renamed?.Invoke(InstanceName);
        }
    }

    private void OnQuery(DnsMessage message, IPEndPoint source, ResponderInterface nic, MdnsLink link, DateTimeOffset now, List<MdnsPacket> output)
    {
        var isProbe = message.Authorities.Count > 0;
        if (isProbe && nic.Phase == ResponderPhase.Probing && LosesTieBreak(message, nic))
        {
            // §8.2: the other host's data sorts later; let it have the name, then probe again. If
            // it really takes the name, its announcements will make us rename.
            _logger.LogDebug("mDNS: lost a simultaneous probe tie-break on interface {Index}; probing again in 1 s", nic.Nic.Index);
            nic.Phase = ResponderPhase.WaitingToProbe;
            nic.Sent = 0;
            nic.NextActionAt = now + MdnsTiming.TieBreakBackoff;
            return;
        }

        if (message.Questions.Count == 0 && message.Answers.Count > 0 && source.Port == MdnsNames.Port)
        {
            // §7.2: the rest of a query's known answers, after a first packet with TC set. Answers
            // we queued (400-500 ms late, for exactly this) that the querier knows are dropped.
            _scheduler.SuppressDuplicates(link, message.Answers);
            return;
        }

        if (!nic.Answers || message.Questions.Count == 0 || !nic.Links.Contains(link))
        {
            // Not ours yet, nothing asked, or asked over a family this interface has no address
            // of (we could neither multicast there nor name an address of it).
            return;
        }

        if (source.Port != MdnsNames.Port)
        {
            AnswerLegacy(message, source, nic, output);
            return;
        }

        var sharedDelay = (message.Flags & DnsFlags.Truncated) != 0
            ? RandomDelay(MdnsTiming.TruncatedQueryMinDelay, MdnsTiming.TruncatedQueryMaxDelay)
            : RandomDelay(MdnsTiming.SharedAnswerMinDelay, MdnsTiming.SharedAnswerMaxDelay);
        var unicastAnswers = new List<DnsRecord>();
        var unicastAdditionals = new List<DnsRecord>();
        foreach (var question in message.Questions)
        {
            foreach (var answer in nic.Records.Answering(question))
            {
                if (KnownToQuerier(message, answer))
                {
                    continue;
                }

                var additionals = nic.Records.AdditionalsFor(answer).Where(r => !KnownToQuerier(message, r)).ToList();
                var last = _scheduler.LastMulticast(link, answer);
                var multicastRecently = last is { } at && now - at < TimeSpan.FromSeconds(answer.Ttl / 4.0);
                var unicast = question.UnicastResponse && (isProbe || multicastRecently);
                var multicast = !question.UnicastResponse || !multicastRecently;
                if (unicast)
                {
                    AddDistinct(unicastAnswers, answer);
                    foreach (var extra in additionals)
                    {
                        AddDistinct(unicastAdditionals, extra);
                    }
                }

                if (multicast)
                {
                    // Unique records have one owner: no collision to avoid, answer at once (§6).
                    var due = answer.CacheFlush ? now : now + sharedDelay;
                    _scheduler.Schedule(link, due, answer, additionals, probeDefence: isProbe);
                }
            }
        }

        if (unicastAnswers.Count > 0)
        {
            unicastAdditionals.RemoveAll(r => unicastAnswers.Any(a => a.SameRdata(r)));
            output.Add(new MdnsPacket(DnsMessage.Response(unicastAnswers, unicastAdditionals), MdnsDestination.To(nic.Nic.Index, source)));
        }
    }

    /// <summary>
    /// §6.7: a one-shot resolver on another port cannot hear multicast. It gets a unicast reply
    /// that echoes its id and questions, with TTLs of at most 10 s and no cache-flush bits.
    /// </summary>
    private static void AnswerLegacy(DnsMessage message, IPEndPoint source, ResponderInterface nic, List<MdnsPacket> output)
    {
        var answers = new List<DnsRecord>();
        var additionals = new List<DnsRecord>();
        foreach (var question in message.Questions)
        {
            foreach (var answer in nic.Records.Answering(question))
            {
                AddDistinct(answers, Legacy(answer));
                foreach (var extra in nic.Records.AdditionalsFor(answer))
                {
                    AddDistinct(additionals, Legacy(extra));
                }
            }
        }

        if (answers.Count == 0)
        {
            return;
        }

        additionals.RemoveAll(r => answers.Any(a => a.SameRdata(r)));
        var reply = new DnsMessage(message.Id, DnsFlags.Response | DnsFlags.Authoritative, message.Questions, answers, [], additionals);
        output.Add(new MdnsPacket(reply, MdnsDestination.To(nic.Nic.Index, source)));
    }

    private static DnsRecord Legacy(DnsRecord record) =>
        record with { CacheFlush = false, Ttl = Math.Min(record.Ttl, MdnsTiming.LegacyUnicastMaxTtl) };

    private static void AddDistinct(List<DnsRecord> list, DnsRecord record)
    {
        if (!list.Any(r => r.SameRdata(record)))
        {
            list.Add(record);
        }
    }

    /// <summary>§7.1: the querier listed this record with at least half its true TTL left, so it needs no answer.</summary>
    private static bool KnownToQuerier(DnsMessage query, DnsRecord ours) =>
        query.Answers.Any(known => known.SameRdata(ours) && known.Ttl >= ours.Ttl / 2);

    private bool LosesTieBreak(DnsMessage probe, ResponderInterface nic)
    {
        foreach (var name in new[] { InstanceFullName, HostName })
        {
            var theirs = probe.Authorities.Where(r => r.Name.Equals(name)).ToList();
            if (theirs.Count == 0 || theirs.All(OwnedAnywhere))
            {
                // Not about this name, or our own probe (looped back, or from another of our interfaces).
                continue;
            }

            if (ProbeTieBreak.Compare(nic.Records.UniqueRecordsNamed(name), theirs) < 0)
            {
                return true;
            }
        }

        return false;
    }
}
