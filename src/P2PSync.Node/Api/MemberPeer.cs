using P2PSync.Node.Hosting;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Api;

/// <summary>A device that shares a space with this one without being trusted (another person's device).</summary>
/// <param name="Known">What the peer book holds about it (name, where to dial), or null when it never gave an address.</param>
/// <param name="Spaces">The names of the spaces it shares with this device.</param>
internal sealed record MemberPeer(DeviceId Device, PeerRecord? Known, IReadOnlyList<string> Spaces);
