using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// The browser's record cache (RFC 6762 §10): per interface, keyed by name, type and rdata.
/// TTL expiry, the one-second grace after a goodbye or a cache-flush, and the refresh points at
/// 80/85/90/95 % of the TTL plus up to 2 % jitter. Bounded, so a flood of records cannot grow it
/// without limit: TTLs are capped at <see cref="MaxTtlSeconds"/> and a full cache makes room by
/// dropping the record heard least recently, so a flood can delay discovery but never lock
/// legitimate records out (they come back with the next answer to our queries).
/// </summary>
internal sealed class RecordCache(Random random, int capacity)
{
    /// <summary>Longest TTL honoured (RFC 6762 §10 recommends 4500 s, 75 minutes, for the longest-lived records).</summary>
    public const uint MaxTtlSeconds = 4500;

    private readonly Dictionary<(int Interface, RecordKey Key), CachedRecord> _entries = [];
    private long _heard;

    // The same entries grouped by interface, name and type: lookups by name stay cheap however full the cache is.
    private readonly Dictionary<(int Interface, DnsName Name, DnsRecordType Type), List<CachedRecord>> _byName = [];

    public int Count => _entries.Count;

    public IEnumerable<CachedRecord> All => _entries.Values;

    /// <summary>The earliest expiry or refresh, or null when empty.</summary>
    public DateTimeOffset? NextEvent
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var entry in _entries.Values)
            {
                var at = entry.RefreshAt is { } refresh && refresh < entry.ExpiresAt ? refresh : entry.ExpiresAt;
                if (next is null || at < next)
                {
                    next = at;
                }
            }

            return next;
        }
    }

    /// <summary>Live (not goodbye'd) records of one name and type on one interface, newest first.</summary>
    public IEnumerable<CachedRecord> Find(int interfaceIndex, DnsName name, DnsRecordType type) =>
        _byName.TryGetValue((interfaceIndex, name, type), out var list)
            ? list.Where(e => !e.SaidGoodbye).OrderByDescending(e => e.ReceivedAt)
            : [];

    /// <summary>
    /// Takes in one received record. TTL 0 is a goodbye: a cached copy keeps one second of grace,
    /// an unknown one is ignored. A cache-flush record expires older records of its name and type
    /// (received more than a second ago) in one second (§10.2). Returns false when the cache was
    /// full and the record heard least recently had to make room.
    /// </summary>
    public bool Add(int interfaceIndex, DnsRecord record, DateTimeOffset now)
    {
        var key = (interfaceIndex, RecordKey.Of(record));
        _entries.TryGetValue(key, out var entry);
        if (record.Ttl == 0)
        {
            if (entry is not null && !entry.SaidGoodbye)
            {
                entry.SaidGoodbye = true;
                ExpireSoon(entry, now);
            }

            return true;
        }

        if (record.CacheFlush)
        {
            if (_byName.TryGetValue((interfaceIndex, record.Name, record.Type), out var siblings))
            {
                foreach (var other in siblings.Where(e => !e.Record.SameRdata(record) && now - e.ReceivedAt > MdnsTiming.ExpiryGrace))
                {
                    ExpireSoon(other, now);
                }
            }
        }

        var evicted = false;
        if (entry is null)
        {
            if (_entries.Count >= capacity)
            {
                var stalest = _entries.MinBy(e => (e.Value.ReceivedAt, e.Value.HeardOrder));
                Remove(stalest.Key, stalest.Value);
                evicted = true;
            }

            entry = new CachedRecord(interfaceIndex, record);
            _entries.Add(key, entry);
            var group = (interfaceIndex, record.Name, record.Type);
            if (!_byName.TryGetValue(group, out var list))
            {
                list = [];
                _byName.Add(group, list);
            }

            list.Add(entry);
        }

        // A fresh copy (re)starts the record's clock, and rescues one that had said goodbye.
        entry.Record = record.Ttl > MaxTtlSeconds ? record with { Ttl = MaxTtlSeconds } : record;
        entry.ReceivedAt = now;
        entry.HeardOrder = ++_heard;
        entry.ExpiresAt = now + TimeSpan.FromSeconds(entry.Record.Ttl);
        entry.SaidGoodbye = false;
        entry.RefreshesDone = 0;
        entry.RefreshAt = RefreshPoint(entry, 0);
        return !evicted;
    }

    /// <summary>Removes and returns everything expired at <paramref name="now"/>.</summary>
    public IReadOnlyList<CachedRecord> RemoveExpired(DateTimeOffset now)
    {
        var expired = _entries.Where(e => e.Value.ExpiresAt <= now).ToList();
        foreach (var (key, entry) in expired)
        {
            Remove(key, entry);
        }

        return expired.Select(e => e.Value).ToList();
    }

    /// <summary>Records whose refresh point has come; each is moved on to its next point.</summary>
    public IReadOnlyList<CachedRecord> TakeDueRefreshes(DateTimeOffset now)
    {
        var due = _entries.Values.Where(e => e.RefreshAt is { } at && at <= now && e.ExpiresAt > now).ToList();
        foreach (var entry in due)
        {
            entry.RefreshesDone++;
            entry.RefreshAt = RefreshPoint(entry, entry.RefreshesDone);
        }

        return due;
    }

    /// <summary>Drops every record of an interface that went away; returns how many.</summary>
    public int RemoveInterface(int interfaceIndex)
    {
        var gone = _entries.Where(e => e.Key.Interface == interfaceIndex).ToList();
        foreach (var (key, entry) in gone)
        {
            Remove(key, entry);
        }

        return gone.Count;
    }

    private void Remove((int Interface, RecordKey Key) key, CachedRecord entry)
    {
        _entries.Remove(key);
        var group = (entry.InterfaceIndex, entry.Record.Name, entry.Record.Type);
        if (_byName.TryGetValue(group, out var list))
        {
            list.Remove(entry);
            if (list.Count == 0)
            {
                _byName.Remove(group);
            }
        }
    }

    private static void ExpireSoon(CachedRecord entry, DateTimeOffset now)
    {
        var soon = now + MdnsTiming.ExpiryGrace;
        if (entry.ExpiresAt > soon)
        {
            entry.ExpiresAt = soon;
        }

        entry.RefreshAt = null;
    }

    private DateTimeOffset? RefreshPoint(CachedRecord entry, int index)
    {
        var points = MdnsTiming.RefreshPoints;
        if (index >= points.Length)
        {
            return null;
        }

        var fraction = points[index] + (random.NextDouble() * MdnsTiming.RefreshJitter);
        return entry.ReceivedAt + TimeSpan.FromSeconds(entry.Record.Ttl * fraction);
    }
}
