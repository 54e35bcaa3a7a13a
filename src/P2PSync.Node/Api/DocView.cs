namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A document in a list.</summary>
internal sealed record DocView(string Id, string Name, long CreatedMs);
