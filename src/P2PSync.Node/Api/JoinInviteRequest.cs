namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/join: an invite code or p2psync://join/ link.</summary>
internal sealed record JoinInviteRequest(string? Code);
