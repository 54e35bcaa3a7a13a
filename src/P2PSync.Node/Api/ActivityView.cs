using System.Text.Json;

namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>GET /api/activity: what this device is doing now, positions resolved to indexes at the time of the request.</summary>
internal sealed record ActivityView(
    long Version,
    long UpdatedMs,
    IReadOnlyList<ActivityDocumentView> Documents,
    JsonElement? State,
    string? HandedOffTo,
    string? ResumedFrom);
