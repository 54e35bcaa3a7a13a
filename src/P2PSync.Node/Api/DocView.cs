namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A document in a list.</summary>
/// <param name="Space">The id of the space it belongs to (32 hex digits); null only for a store not yet brought up to spaces.</param>
internal sealed record DocView(string Id, string Name, long CreatedMs, string? Space = null);
