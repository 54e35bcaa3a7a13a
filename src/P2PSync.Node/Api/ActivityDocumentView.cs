using System.Text.Json;

namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>One open document of the activity.</summary>
/// <param name="Cursor">Index into the root text `text` the cursor resolves to now; null when unset or not resolvable here.</param>
/// <param name="Anchor">The selection anchor, likewise.</param>
/// <param name="CursorRelative">The stored Yjs relative position, base64.</param>
/// <param name="AnchorRelative">Likewise for the anchor.</param>
internal sealed record ActivityDocumentView(
    string Id,
    int? Cursor,
    int? Anchor,
    string? CursorRelative,
    string? AnchorRelative,
    JsonElement? View);
