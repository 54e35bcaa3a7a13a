namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>One document in GET /api/status: per peer "in sync" or "behind by N".</summary>
internal sealed record DocStatusView(string Id, string Name, IReadOnlyDictionary<string, string> Peers);
