using P2PSync.Protocol.Identity;

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

    /// <summary>The set of trusted devices changed (a `peer add` or `peer remove`): the personal space follows it.</summary>
    public event Action? TrustChanged;

    /// <summary>
    /// Whether a device that is not trusted shares a space with this node (set by the host once
    /// the spaces are loaded): such a device may connect and is dialed too.
    /// </summary>
    public Func<DeviceId, bool> SharesSpace { get; set; } = _ => false;

    /// <summary>The trusted devices (this user's own).</summary>
    public IReadOnlyList<PeerRecord> List()
    {
        lock (_gate)
        {
            return _directory.List();
        }
    }

    /// <summary>Every device to dial: trusted ones, and members of shared spaces that still share one.</summary>
    public IReadOnlyList<PeerRecord> Dialable()
    {
        IReadOnlyList<PeerRecord> all;
        lock (_gate)
        {
            all = _directory.ListAll();
        }

        return [.. all.Where(p => p.Trusted || (Protocol.Identity.DeviceId.TryParse(p.DeviceId, out var id) && SharesSpace(id)))];
    }

    public bool IsTrusted(string deviceId) => Find(deviceId) is not null;

    /// <summary>Whether the device may hold a connection: trusted, or a member of a space we share.</summary>
    public bool MayConnect(DeviceId device) => IsTrusted(device.ToString()) || SharesSpace(device);

    /// <summary>The trusted device, or null.</summary>
    public PeerRecord? Find(string deviceId)
    {
        lock (_gate)
        {
            return _directory.List().FirstOrDefault(p => string.Equals(p.DeviceId, deviceId, StringComparison.Ordinal));
        }
    }

    /// <summary>Any known device (trusted or a space member), or null.</summary>
    public PeerRecord? FindAny(string deviceId)
    {
        lock (_gate)
        {
            return _directory.ListAll().FirstOrDefault(p => string.Equals(p.DeviceId, deviceId, StringComparison.Ordinal));
        }
    }

    /// <summary>Records where to dial a member of a shared space (it does not become trusted).</summary>
    /// <exception cref="FormatException">Bad DeviceId or address.</exception>
    public PeerRecord AddMember(string deviceId, IReadOnlyList<string> addresses)
    {
        PeerRecord added;
        lock (_gate)
        {
            added = _directory.AddMember(deviceId, addresses);
        }

        Changed?.Invoke();
        return added;
    }

    /// <summary>Tells the connection manager to look again (a space's membership changed).</summary>
    public void Reconsider() => Changed?.Invoke();

    /// <exception cref="FormatException">Bad DeviceId.</exception>
    public PeerRecord Add(string deviceId, IReadOnlyList<string> addresses)
    {
        PeerRecord added;
        lock (_gate)
        {
            added = _directory.Add(deviceId, addresses);
        }

        Changed?.Invoke();
        TrustChanged?.Invoke();
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
            TrustChanged?.Invoke();
        }

        return removed;
    }
}
