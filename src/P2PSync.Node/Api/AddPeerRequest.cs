namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/peers.</summary>
internal sealed record AddPeerRequest(string? DeviceId, IReadOnlyList<string>? Addresses);
