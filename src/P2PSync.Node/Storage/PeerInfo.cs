using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>A trusted device as the store keeps it.</summary>
/// <param name="DeviceId">The device's identity.</param>
/// <param name="Name">Optional label given when it was added.</param>
/// <param name="Addresses">Where to dial it ("host:port", IPv6 hosts in brackets); may be empty when it dials us.</param>
/// <param name="AddedMs">When it was first trusted, Unix milliseconds.</param>
/// <param name="LastSeenMs">When a connection with it was last up, Unix milliseconds; null if never.</param>
internal sealed record PeerInfo(
    DeviceId DeviceId,
    string? Name,
    IReadOnlyList<string> Addresses,
    long AddedMs,
    long? LastSeenMs);
