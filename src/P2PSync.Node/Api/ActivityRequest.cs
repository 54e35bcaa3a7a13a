using System.Text.Json;

namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>PUT /api/activity: replaces the activity (documents in order, app state).</summary>
internal sealed record ActivityRequest(IReadOnlyList<ActivityDocumentRequest>? Documents, JsonElement? State);
