using System.Text.Json;

namespace P2PSync.Node.Handoff;

/// <summary>
/// One open document of an <see cref="Activity"/>. Cursor and selection anchor are Yjs-encoded
/// relative positions (<c>Y.EncodeRelativePosition</c>) into the document's root text <c>text</c>,
/// not indexes: a relative position names the character it sticks to, so it still points at the
/// same place after concurrent edits and after the activity moved to another device.
/// </summary>
/// <param name="DocId">The document (store id rules).</param>
/// <param name="Cursor">Where the caret is, or null.</param>
/// <param name="Anchor">The other end of the selection, or null for no selection.</param>
/// <param name="View">
/// Free JSON the app uses for scroll, zoom, panel; at most <see cref="ActivityLimits.MaxViewBytes"/>.
/// Pass a <see cref="JsonElement.Clone"/>d element: the activity outlives the request's JsonDocument.
/// </param>
internal sealed record ActivityDocument(string DocId, byte[]? Cursor, byte[]? Anchor, JsonElement? View);
