using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;
using StructItem = P2PSync.Crdt.Structs.Item;

namespace P2PSync.Crdt.Positions;

// Conversions between indexes and relative positions (Yjs createRelativePositionFromTypeIndex and
// createAbsolutePositionFromRelativePosition).
public sealed partial class RelativePosition
{
    /// <summary>A position in <paramref name="type"/> anchored at <paramref name="item"/> (null: an end of the type).</summary>
    internal static RelativePosition CreateRelativePosition(AbstractType type, ID? item, int assoc)
    {
        if (type.Item is null)
        {
            return new RelativePosition(null, Doc.FindRootTypeKey(type), item, assoc);
        }
        return new RelativePosition(type.Item.Id, null, item, assoc);
    }

    /// <summary>
    /// The position at <paramref name="index"/> in <paramref name="type"/>. With assoc &gt;= 0 it sticks
    /// to the unit at that index (or to the end of the type past the last unit); with assoc &lt; 0
    /// to the unit before it (or to the start of the type at index 0). An index past the end
    /// gives the end position.
    /// </summary>
    internal static RelativePosition CreateRelativePositionFromTypeIndex(AbstractType type, int index, int assoc)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (type.Doc is null)
        {
            throw new InvalidOperationException("The type must be part of a document to create a relative position in it.");
        }
        if (assoc < 0)
        {
            if (index == 0)
            {
                return CreateRelativePosition(type, null, assoc);
            }
            // Left association: anchor at the unit before the index.
            index--;
        }
        for (var t = type.Start; t is not null; t = t.Right)
        {
            if (!t.Deleted && t.Countable)
            {
                if (t.Length > index)
                {
                    return CreateRelativePosition(type, new ID(t.Id.Client, t.Id.Clock + index), assoc);
                }
                index -= t.Length;
            }
            if (t.Right is null && assoc < 0)
            {
                // Past the end with left association: stick to the very last unit, deleted or not.
                return CreateRelativePosition(type, t.LastId, assoc);
            }
        }
        return CreateRelativePosition(type, null, assoc);
    }

    /// <summary>
    /// The index <paramref name="rpos"/> denotes in <paramref name="doc"/> now, or null if the doc
    /// does not have its anchor (yet) or the anchor was garbage collected.
    /// </summary>
    /// <param name="rpos">The position to resolve.</param>
    /// <param name="doc">The document to resolve it in.</param>
    /// <param name="followUndoneDeletions">
    /// Whether to follow the chain of items an undo manager re-created from the anchor. Only the
    /// peer that performed the undo knows that chain, so pass false for positions that must
    /// resolve the same way on every peer.
    /// </param>
    internal static AbsolutePosition? CreateAbsolutePositionFromRelativePosition(RelativePosition rpos, Doc doc, bool followUndoneDeletions)
    {
        ArgumentNullException.ThrowIfNull(rpos);
        ArgumentNullException.ThrowIfNull(doc);
        var store = doc.Store;
        AbstractType type;
        var index = 0;
        if (rpos.Item is { } rightId)
        {
            if (StructStore.GetState(store, rightId.Client) <= rightId.Clock)
            {
                return null;
            }
            var (rightStruct, diff) = followUndoneDeletions ? StructItem.FollowRedone(store, rightId) : FindWithOffset(store, rightId);
            if (rightStruct is not StructItem right || right.Parent is null)
            {
                return null;
            }
            type = right.Parent;
            // Inside a deleted type every index is 0.
            if (type.Item is null || !type.Item.Deleted)
            {
                index = right.Deleted || !right.Countable ? 0 : diff + (rpos.Assoc >= 0 ? 0 : 1);
                for (var n = right.Left; n is not null; n = n.Left)
                {
                    if (!n.Deleted && n.Countable)
                    {
                        index += n.Length;
                    }
                }
            }
        }
        else
        {
            if (rpos.TName is { } tname)
            {
                type = doc.Get(tname);
            }
            else
            {
                // The constructor guarantees that a position without item or name has a type id.
                var typeId = rpos.Type!.Value;
                if (StructStore.GetState(store, typeId.Client) <= typeId.Clock)
                {
                    return null;
                }
                var typeStruct = followUndoneDeletions ? StructItem.FollowRedone(store, typeId).Item : StructStore.Find(store, typeId);
                if (typeStruct is not StructItem { Content: ContentType contentType })
                {
                    // Garbage collected, or not a type at all.
                    return null;
                }
                type = contentType.Type;
            }
            index = rpos.Assoc >= 0 ? type.InternalLength : 0;
        }
        return new AbsolutePosition(type, index, rpos.Assoc);
    }

    private static (AbstractStruct Item, int Diff) FindWithOffset(StructStore store, ID id)
    {
        var s = StructStore.Find(store, id);
        return (s, id.Clock - s.Id.Clock);
    }
}
