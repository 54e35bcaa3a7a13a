namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/docs/{id}/rename.</summary>
internal sealed record RenameRequest(string? Name);
