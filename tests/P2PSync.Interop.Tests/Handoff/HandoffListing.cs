using System.Text.Json;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>One entry of <c>GET /api/handoff</c>'s <c>handoffs</c> (state and direction compared case-insensitively).</summary>
internal sealed record HandoffListing(string Id, string Direction, string Kind, string Peer, string State, long BytesDone, long BytesTotal, string? Reason)
{
    public bool Is(string state) => string.Equals(State, state, StringComparison.OrdinalIgnoreCase);

    public bool IsIncoming => string.Equals(Direction, "in", StringComparison.OrdinalIgnoreCase);

    public static HandoffListing Parse(JsonElement item) => new(
        item.GetProperty("id").GetString()!,
        Text(item, "direction"),
        Text(item, "kind"),
        Text(item, "peer"),
        Text(item, "state"),
        Number(item, "bytesDone"),
        Number(item, "bytesTotal"),
        item.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null);

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText() : "";

    private static long Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
