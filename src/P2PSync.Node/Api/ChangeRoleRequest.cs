namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>PUT /api/spaces/{id}/members/{device}.</summary>
internal sealed record ChangeRoleRequest(string? Role);
