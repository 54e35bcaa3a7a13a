using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Discovery;

/// <summary>
/// Finds other devices nearby (mDNS on the LAN today). It reports every device it sees, trusted or
/// not; deciding whom to dial is the connection manager's job. Events fire on the finder's own
/// thread, so handlers must be quick and must not block.
/// </summary>
internal interface IPeerFinder
{
    /// <summary>A device appeared, or what we know about it (name, endpoints) changed.</summary>
    event Action<PeerSighting>? Seen;

    /// <summary>A device left (goodbye, expired records, or its interface went away).</summary>
    event Action<DeviceId>? Gone;

    /// <summary>The devices visible now, one sighting per device.</summary>
    IReadOnlyCollection<PeerSighting> Nearby { get; }
}
