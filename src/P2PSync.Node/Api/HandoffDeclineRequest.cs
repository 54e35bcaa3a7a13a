namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/handoff/{id}/decline (the body is optional).</summary>
internal sealed record HandoffDeclineRequest(string? Reason);
