using System.Net;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Discovery;

/// <summary>One device as a finder sees it now.</summary>
/// <param name="Device">The DeviceId it announces (mDNS: TXT <c>id=</c>). Not proof of identity: the Noise handshake checks it when we dial.</param>
/// <param name="Name">Its advertised name (mDNS: the service instance name).</param>
/// <param name="Endpoints">Where its node listens, most useful first.</param>
/// <param name="ProtocolVersion">Its sync protocol version (mDNS: TXT <c>proto=</c>).</param>
/// <param name="LastSeen">When we last heard from it.</param>
internal sealed record PeerSighting(DeviceId Device, string Name, IReadOnlyList<IPEndPoint> Endpoints, int ProtocolVersion, DateTimeOffset LastSeen)
{
    /// <summary>Same device, name, endpoints and version; <see cref="LastSeen"/> ignored (it changes with every refresh).</summary>
    public bool SameFacts(PeerSighting other) =>
        Device == other.Device
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && ProtocolVersion == other.ProtocolVersion
        && Endpoints.SequenceEqual(other.Endpoints);
}
