namespace P2PSync.Interop.Tests.Mdns;

/// <summary>One element of GET /api/nearby as the tests read it (the node's NearbyView, camelCase JSON).</summary>
internal sealed record NearbyEntry(string DeviceId, string Name, IReadOnlyList<string> Endpoints, bool Trusted, DateTimeOffset LastSeen);
