namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/handoff/pull: continue what a connected device is doing.</summary>
internal sealed record HandoffPullRequest(string? From);
