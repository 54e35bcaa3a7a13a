namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/join: an invite code or p2psync://join/ link, and optionally a relay to claim it from when the inviter is out of reach (default: the node's own relay).</summary>
internal sealed record JoinInviteRequest(string? Code, string? Relay = null);
