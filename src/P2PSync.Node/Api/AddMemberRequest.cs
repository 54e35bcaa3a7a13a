namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/spaces/{id}/members: a device this node knows, and its role (owner, editor, viewer).</summary>
internal sealed record AddMemberRequest(string? Device, string? Role);
