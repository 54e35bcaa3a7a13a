namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// Remembers the signatures of messages taken within the freshness window, so a captured message
/// replayed within it is refused (older ones are refused as stale anyway). Bounded: when full, the
/// oldest entry is forgotten and the floor rises to its timestamp, so nothing at or below the floor
/// is accepted again; memory stays bounded and no replay slips through.
/// </summary>
internal sealed class RendezvousReplayWindow
{
    private readonly int _capacity;
    private readonly long _windowMs;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byAge = new();
    private long _floorMs = long.MinValue;

    public RendezvousReplayWindow(int capacity, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _windowMs = (long)window.TotalMilliseconds;
    }

    public int Count => _seen.Count;

    /// <summary>Records the message; false when it was seen already (or is at or below the floor of forgotten entries).</summary>
    public bool TryRecord(ReadOnlySpan<byte> signature, long timestampMs, long nowMs)
    {
        // Entries older than the window can go: the stale check refuses their replays.
        while (_byAge.TryPeek(out var oldest, out var at) && at < nowMs - _windowMs)
        {
            _byAge.Dequeue();
            _seen.Remove(oldest);
        }

        if (timestampMs <= _floorMs)
        {
            return false;
        }

        var key = Convert.ToHexString(signature);
        if (!_seen.Add(key))
        {
            return false;
        }

        _byAge.Enqueue(key, timestampMs);
        if (_seen.Count > _capacity && _byAge.TryDequeue(out var evicted, out var evictedAt))
        {
            _seen.Remove(evicted);
            _floorMs = Math.Max(_floorMs, evictedAt);
        }

        return true;
    }
}
