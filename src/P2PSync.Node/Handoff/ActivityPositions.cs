using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Node.Handoff;

/// <summary>
/// Cursor and selection indexes in a document's root text <c>text</c> turned into Yjs relative
/// positions and back. Apps and scripts think in indexes; activities store relative positions
/// because an index goes stale as soon as anyone edits before it.
/// </summary>
internal static class ActivityPositions
{
    /// <summary>The root text every activity position refers to (what the CLI and API edit).</summary>
    public const string RootText = "text";

    /// <summary>The encoded relative position of <paramref name="index"/> (0..length) in the root text.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the text.</exception>
    /// <exception cref="InvalidOperationException">The root <c>text</c> is not a text.</exception>
    public static byte[] FromIndex(Doc doc, int index)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var text = doc.GetText(RootText);
        if (index < 0 || index > text.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the text is {text.Length} characters long");
        }

        // assoc 0 sticks to the character after the index: text typed before the cursor by
        // someone else pushes the cursor along, as in every collaborative editor.
        return Y.EncodeRelativePosition(Y.CreateRelativePositionFromTypeIndex(text, index));
    }

    /// <summary>
    /// The index in the root text that <paramref name="relativePosition"/> denotes now, or null
    /// when it cannot be resolved (malformed, anchored in content this doc does not have yet, or
    /// in another type than the root text).
    /// </summary>
    public static int? ToIndex(Doc doc, byte[] relativePosition)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(relativePosition);
        if (relativePosition.Length == 0 || relativePosition.Length > ActivityLimits.MaxPositionBytes)
        {
            return null;
        }

        try
        {
            var position = Y.DecodeRelativePosition(relativePosition);
            // Typed access first: in a doc filled by remote updates the root is still an untyped
            // placeholder, and GetText replaces it with the YText the position must resolve into.
            YText text = doc.GetText(RootText);
            // false: undo links are local to one device; every device must read the same index.
            var absolute = Y.CreateAbsolutePositionFromRelativePosition(position, doc, followUndoneDeletions: false);
            return absolute is not null && ReferenceEquals(absolute.Type, text) ? absolute.Index : null;
        }
        catch (UpdateFormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // The root "text" exists as another kind of type: no text position can be in it.
            return null;
        }
    }
}
