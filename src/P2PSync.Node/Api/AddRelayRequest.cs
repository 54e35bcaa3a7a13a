namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/relays.</summary>
internal sealed record AddRelayRequest(string? Url);
