namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>202 answer of offer/pull/accept/decline: the handoff's id (follow it on /api/handoff/events).</summary>
internal sealed record HandoffStartedView(string Id);
