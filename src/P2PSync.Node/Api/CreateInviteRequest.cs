namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>POST /api/spaces/{id}/invites.</summary>
/// <param name="Role">editor or viewer.</param>
/// <param name="Expires">How long the invite stays valid: a number with s, m, h or d ("24h", the default); at most 30d.</param>
/// <param name="Addresses">HOST:PORT where the joiner dials this node; default: every address the node listens on.</param>
/// <param name="RelayOnly">No address in the code: redeemed only from the package the node leaves on its relay.</param>
internal sealed record CreateInviteRequest(string? Role, string? Expires = null, IReadOnlyList<string>? Addresses = null, bool RelayOnly = false);
