namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Remembers recent name conflicts: after 15 within ten seconds a host must wait five seconds
/// before each new probe series (RFC 6762 §8.1), so two misconfigured hosts cannot flood the
/// link with probes.
/// </summary>
internal sealed class ConflictThrottle
{
    private readonly Queue<DateTimeOffset> _recent = new();

    public void Record(DateTimeOffset now)
    {
        _recent.Enqueue(now);
        Prune(now);
    }

    /// <summary>True when the next probe series must wait <see cref="MdnsTiming.ConflictThrottle"/>.</summary>
    public bool IsThrottled(DateTimeOffset now)
    {
        Prune(now);
        return _recent.Count >= MdnsTiming.ConflictBurst;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_recent.Count > 0 && now - _recent.Peek() > MdnsTiming.ConflictWindow)
        {
            _recent.Dequeue();
        }
    }
}
