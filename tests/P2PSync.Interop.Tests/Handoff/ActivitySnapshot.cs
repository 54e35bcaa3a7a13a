using System.Text.Json;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// An activity as <c>p2psync activity show</c> and <c>GET /api/activity</c> print it
/// (docs/dev/handoff-contract.md): documents with indexes resolved now, the app state as raw JSON
/// (compared structurally, so key order and spacing do not matter), and the handoff marks.
/// </summary>
internal sealed record ActivitySnapshot(
    IReadOnlyList<ResumedDocument> Documents,
    string? StateJson,
    string? HandedOffTo,
    string? ResumedFrom,
    string Raw)
{
    public static ActivitySnapshot Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var docs = new List<ResumedDocument>();
        if (root.TryGetProperty("documents", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                docs.Add(new ResumedDocument(item.GetProperty("id").GetString()!, IntOrNull(item, "cursor"), IntOrNull(item, "anchor")));
            }
        }

        return new ActivitySnapshot(
            docs,
            root.TryGetProperty("state", out var state) && state.ValueKind != JsonValueKind.Null ? state.GetRawText() : null,
            StringOrNull(root, "handedOffTo"),
            StringOrNull(root, "resumedFrom"),
            json);
    }

    /// <summary>True when the app state equals <paramref name="expectedJson"/> as JSON (not as text).</summary>
    public bool StateEquals(string expectedJson) =>
        StateJson is not null && JsonElement.DeepEquals(JsonDocument.Parse(StateJson).RootElement, JsonDocument.Parse(expectedJson).RootElement);

    public ResumedDocument Document(string id) =>
        Documents.SingleOrDefault(d => d.Id == id) ?? throw new Xunit.Sdk.XunitException($"activity has no document {id}: {Raw}");

    private static int? IntOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
