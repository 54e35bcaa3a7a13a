namespace P2PSync.Node.Hosting;

/// <summary>
/// The trusted devices as the running node sees them: the store's list behind the store lock,
/// plus a <see cref="Changed"/> event so the connection manager dials new peers and drops removed
/// ones without polling.
/// </summary>
internal sealed class PeerBook
{
    private readonly IPeerDirectory _directory;
    private readonly Lock _gate;

    public PeerBook(IPeerDirectory directory, Lock storeGate)
    {
        _directory = directory;
        _gate = storeGate;
    }

    /// <summary>A peer was added, changed or removed.</summary>
    public event Action? Changed;

    public IReadOnlyList<PeerRecord> List()
    {
        lock (_gate)
        {
            return _directory.List();
        }
    }

    public bool IsTrusted(string deviceId) => Find(deviceId) is not null;

    public PeerRecord? Find(string deviceId)
    {
        lock (_gate)
        {
            return _directory.List().FirstOrDefault(p => string.Equals(p.DeviceId, deviceId, StringComparison.Ordinal));
        }
    }

    /// <exception cref="FormatException">Bad DeviceId.</exception>
    public PeerRecord Add(string deviceId, IReadOnlyList<string> addresses)
    {
        PeerRecord added;
        lock (_gate)
        {
            added = _directory.Add(deviceId, addresses);
        }

        Changed?.Invoke();
        return added;
    }

    /// <summary>Records that a connection with the device is up now (no <see cref="Changed"/>: addresses did not change).</summary>
    public void MarkSeen(string deviceId)
    {
        lock (_gate)
        {
            _directory.MarkSeen(deviceId);
        }
    }

    public bool Remove(string deviceId)
    {
        bool removed;
        lock (_gate)
        {
            removed = _directory.Remove(deviceId);
        }

        if (removed)
        {
            Changed?.Invoke();
        }

        return removed;
    }
}
