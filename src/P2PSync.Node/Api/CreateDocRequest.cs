namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/docs.</summary>
/// <param name="Space">The space to create it in (id, unique id prefix or unique name); default: the personal space.</param>
internal sealed record CreateDocRequest(string? Name, string? Space = null);
