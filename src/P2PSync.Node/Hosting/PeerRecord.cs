namespace P2PSync.Node.Hosting;

/// <summary>A device the node dials: one of this user's own (trusted), or a member of a shared space.</summary>
/// <param name="DeviceId">Text form of the device's DeviceId.</param>
/// <param name="Name">Optional label.</param>
/// <param name="Addresses">Where to dial it (HOST:PORT), possibly none: it may dial us.</param>
/// <param name="LastSeenMs">Last time a connection with it was up, Unix ms; null if never.</param>
/// <param name="Trusted">One of this user's devices (`peer add`); false = known only as a member of a shared space.</param>
internal sealed record PeerRecord(string DeviceId, string? Name, IReadOnlyList<string> Addresses, long? LastSeenMs, bool Trusted = true);
