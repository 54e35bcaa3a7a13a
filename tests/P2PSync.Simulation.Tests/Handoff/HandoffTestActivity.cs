using System.Text.Json;
using P2PSync.Node.Handoff;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>Setting and reading a node's activity the way an app would (indexes in, indexes out).</summary>
internal static class HandoffTestActivity
{
    public static void SetCursor(HandoffSimNode node, string docId, int cursor, int? anchor = null, string? stateJson = null)
    {
        var doc = node.Documents.Doc(docId);
        var document = new ActivityDocument(
            docId,
            ActivityPositions.FromIndex(doc, cursor),
            anchor is { } a ? ActivityPositions.FromIndex(doc, a) : null,
            JsonDocument.Parse("{\"scroll\":120,\"zoom\":1.5}").RootElement.Clone());
        var state = stateJson is null ? (JsonElement?)null : JsonDocument.Parse(stateJson).RootElement.Clone();
        node.Activity.Set([document], state);
    }

    public static void Open(HandoffSimNode node, params string[] docIds)
    {
        node.Activity.Set(
            docIds.Select(id => new ActivityDocument(id, ActivityPositions.FromIndex(node.Documents.Doc(id), 0), null, null)).ToArray(),
            null);
    }

    public static int? Cursor(HandoffSimNode node, string docId)
    {
        var document = node.Activity.Current.Documents.Single(d => d.DocId == docId);
        return node.Documents.ResolveIndex(docId, document.Cursor!);
    }

    public static int? Anchor(HandoffSimNode node, string docId)
    {
        var document = node.Activity.Current.Documents.Single(d => d.DocId == docId);
        return node.Documents.ResolveIndex(docId, document.Anchor!);
    }
}
