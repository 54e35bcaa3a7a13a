namespace P2PSync.Node.Hosting;

/// <summary>A trusted device as the node stores it.</summary>
/// <param name="DeviceId">Text form of the device's DeviceId.</param>
/// <param name="Name">Optional label.</param>
/// <param name="Addresses">Where to dial it (HOST:PORT), possibly none: it may dial us.</param>
/// <param name="LastSeenMs">Last time a connection with it was up, Unix ms; null if never.</param>
internal sealed record PeerRecord(string DeviceId, string? Name, IReadOnlyList<string> Addresses, long? LastSeenMs);
