using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// The responder's outgoing multicast queue and its memory of what went out when. It enforces
/// the per-link rate limit (a record is multicast at most once a second, 250 ms when defending
/// a probed name; RFC 6762 §6), merges everything due at the same moment into one message per
/// link, and drops queued answers another responder has just sent (duplicate answer
/// suppression, §7.4).
/// </summary>
internal sealed class AnswerScheduler
{
    private readonly List<ScheduledAnswer> _queue = [];
    private readonly Dictionary<(MdnsLink Link, RecordKey Key), DateTimeOffset> _lastMulticast = [];

    /// <summary>The earliest moment something is due, or null when the queue is empty.</summary>
    public DateTimeOffset? NextDue => _queue.Count == 0 ? null : _queue.Min(a => a.DueAt);

    /// <summary>Queued records (tests read this).</summary>
    public int Count => _queue.Count;

    public void Schedule(MdnsLink link, DateTimeOffset dueAt, DnsRecord record, IReadOnlyList<DnsRecord> additionals, bool probeDefence)
    {
        var key = RecordKey.Of(record);
        var index = _queue.FindIndex(a => a.Link == link && a.Key == key);
        if (index < 0)
        {
            _queue.Add(new ScheduledAnswer(link, dueAt, record, additionals, probeDefence));
            return;
        }

        // Already queued: keep one entry, due at the earlier of the two times, carrying both
        // sets of additionals.
        var queued = _queue[index];
        var merged = queued.Additionals.Concat(additionals.Where(r => !queued.Additionals.Any(q => q.SameRdata(r)))).ToList();
        _queue[index] = queued with
        {
            DueAt = dueAt < queued.DueAt ? dueAt : queued.DueAt,
            Additionals = merged,
            ProbeDefence = queued.ProbeDefence || probeDefence,
        };
    }

    /// <summary>When <paramref name="record"/> was last multicast on <paramref name="link"/>, if ever.</summary>
    public DateTimeOffset? LastMulticast(MdnsLink link, DnsRecord record) =>
        _lastMulticast.TryGetValue((link, RecordKey.Of(record)), out var at) ? at : null;

    /// <summary>Notes records that went out outside this queue (probes do not count; announcements and goodbyes do).</summary>
    public void NoteMulticast(MdnsLink link, IEnumerable<DnsRecord> records, DateTimeOffset now)
    {
        foreach (var record in records)
        {
            _lastMulticast[(link, RecordKey.Of(record))] = now;
        }
    }

    /// <summary>
    /// Someone on <paramref name="link"/> showed it holds these records with at least half our TTL:
    /// another responder multicast them (§7.4), or a querier listed them as known answers in the
    /// continuation of a truncated query (§7.2). Our queued copies are dropped.
    /// </summary>
    public void SuppressDuplicates(MdnsLink link, IEnumerable<DnsRecord> seen)
    {
        foreach (var record in seen)
        {
            _queue.RemoveAll(a => a.Link == link && a.Record.SameRdata(record) && record.Ttl >= a.Record.Ttl / 2);
        }
    }

    /// <summary>Forgets an interface that went away: nothing can be sent there any more.</summary>
    public void ForgetInterface(int interfaceIndex)
    {
        _queue.RemoveAll(a => a.Link.InterfaceIndex == interfaceIndex);
        foreach (var key in _lastMulticast.Keys.Where(k => k.Link.InterfaceIndex == interfaceIndex).ToList())
        {
            _lastMulticast.Remove(key);
        }
    }

    /// <summary>Drops queued records on links that no longer exist (an interface lost an address family).</summary>
    public void KeepOnlyLinks(IReadOnlyCollection<MdnsLink> links) => _queue.RemoveAll(a => !links.Contains(a.Link));

    /// <summary>Drops everything queued (the records changed: a rename or a new profile).</summary>
    public void Clear() => _queue.Clear();

    /// <summary>Builds one response per link from everything due; records still inside their rate limit move to when it ends.</summary>
    public IReadOnlyList<MdnsPacket> Flush(DateTimeOffset now)
    {
        var due = _queue.Where(a => a.DueAt <= now).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var packets = new List<MdnsPacket>();
        foreach (var group in due.GroupBy(a => a.Link))
        {
            var link = group.Key;
            var answers = new List<DnsRecord>();
            var candidates = new List<DnsRecord>();
            foreach (var item in group)
            {
                var limit = item.ProbeDefence ? MdnsTiming.ProbeDefenceMinInterval : MdnsTiming.MulticastRecordMinInterval;
                var last = LastMulticast(link, item.Record);
                if (last is { } at && now - at < limit)
                {
                    // Still inside the rate limit: send when it ends rather than not at all, so the
                    // querier does not wait for its next (possibly much later) query.
                    _queue[_queue.IndexOf(item)] = item with { DueAt = at + limit };
                    continue;
                }

                _queue.Remove(item);
                answers.Add(item.Record);
                candidates.AddRange(item.Additionals);
            }

            // An additional is pointless when it is an answer already, or went out within the last second.
            var additionals = new List<DnsRecord>();
            foreach (var record in candidates)
            {
                var last = LastMulticast(link, record);
                var recent = last is { } at && now - at < MdnsTiming.MulticastRecordMinInterval;
                if (!recent && !answers.Any(r => r.SameRdata(record)) && !additionals.Any(r => r.SameRdata(record)))
                {
                    additionals.Add(record);
                }
            }

            if (answers.Count == 0)
            {
                continue;
            }

            NoteMulticast(link, answers, now);
            NoteMulticast(link, additionals, now);
            packets.Add(new MdnsPacket(DnsMessage.Response(answers, additionals), link.Destination));
        }

        return packets;
    }
}
