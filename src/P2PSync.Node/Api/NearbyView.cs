namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A device seen nearby (mDNS), trusted or not.</summary>
/// <param name="DeviceId">The DeviceId it announces.</param>
/// <param name="Name">Its advertised name.</param>
/// <param name="Endpoints">Where its node listens, HOST:PORT ([v6]:PORT for IPv6).</param>
/// <param name="Trusted">True when it is one of our trusted peers (only those are dialed).</param>
/// <param name="LastSeen">When we last heard from it (ISO 8601).</param>
internal sealed record NearbyView(string DeviceId, string Name, IReadOnlyList<string> Endpoints, bool Trusted, DateTimeOffset LastSeen);
