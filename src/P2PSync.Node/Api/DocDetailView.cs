namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>GET /api/docs/{id}: the document and the text of one root.</summary>
internal sealed record DocDetailView(string Id, string Name, long CreatedMs, string Root, string Text);
