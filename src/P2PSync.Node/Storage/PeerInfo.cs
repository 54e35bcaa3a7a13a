using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>A known device (trusted, or a fellow space member) as the store keeps it.</summary>
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
    long? LastSeenMs)
{
    /// <summary>
    /// True for one of my own devices (<c>peer add</c>), false for a member of a shared space
    /// that we only dial (<see cref="PeerRepository.AddMemberPeer"/>). Only trusted peers may
    /// connect without sharing a space.
    /// </summary>
    public bool Trusted { get; init; } = true;
}
