using System.Text.Json;

namespace P2PSync.Interop.Tests.Presence;

/// <summary>One awareness state as a y-websocket client reports it: user name, cursor index, device id (for a node's own state).</summary>
/// <param name="HeadIndex">A cursor head given as a Yjs relative position, resolved by the client (null otherwise).</param>
/// <param name="AnchorIndex">The same for the selection anchor.</param>
internal sealed record SeenAwareness(long ClientId, string? User, JsonElement? Cursor, string? DeviceId, int? HeadIndex, int? AnchorIndex)
{
    public static SeenAwareness From(JsonElement state) =>
        new(
            state.GetProperty("clientId").GetInt64(),
            state.GetProperty("user") is { ValueKind: JsonValueKind.Object } user && user.TryGetProperty("name", out var name) ? name.GetString() : null,
            state.GetProperty("cursor") is { ValueKind: JsonValueKind.Object } cursor ? cursor.Clone() : null,
            state.GetProperty("device") is { ValueKind: JsonValueKind.Object } device && device.TryGetProperty("id", out var id) ? id.GetString() : null,
            state.GetProperty("headIndex") is { ValueKind: JsonValueKind.Number } head ? head.GetInt32() : null,
            state.GetProperty("anchorIndex") is { ValueKind: JsonValueKind.Number } anchor ? anchor.GetInt32() : null);

    /// <summary>The cursor's head when it is a plain index (as the test clients send it).</summary>
    public int? Head => Cursor is { } cursor && cursor.TryGetProperty("head", out var head) && head.ValueKind == JsonValueKind.Number ? head.GetInt32() : null;

    public override string ToString() => $"{User ?? "?"}@{ClientId} cursor {Cursor?.GetRawText() ?? "none"}{(DeviceId is null ? "" : " device " + DeviceId[..8])}";
}
