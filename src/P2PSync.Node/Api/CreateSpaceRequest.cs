namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/spaces.</summary>
internal sealed record CreateSpaceRequest(string? Name);
