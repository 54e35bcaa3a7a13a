namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A trusted peer.</summary>
internal sealed record PeerView(string DeviceId, string? Name, IReadOnlyList<string> Addresses, bool Connected, long? LastSeenMs);
