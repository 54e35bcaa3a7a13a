using System.Text.Json;

namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>
/// One document of PUT /api/activity. A position is given either as an index into the root text
/// `text` (turned into a relative position now) or as a base64 Yjs relative position, not both.
/// </summary>
internal sealed record ActivityDocumentRequest(
    string? Id,
    int? Cursor,
    int? Anchor,
    string? CursorRelative,
    string? AnchorRelative,
    JsonElement? View);
