namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/handoff/offer: push our activity to a trusted, connected device.</summary>
internal sealed record HandoffOfferRequest(string? To);
