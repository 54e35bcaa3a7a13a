using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Positions;

/// <summary>
/// A position in a shared list (text, array, XML) expressed against the CRDT's own ids instead of
/// an index, so that it keeps pointing at the same place while peers insert and delete around it
/// (Yjs <c>RelativePosition</c>). Turn it back into an index with
/// <see cref="Y.CreateAbsolutePositionFromRelativePosition"/>.
/// </summary>
/// <remarks>
/// Exactly one of three anchors is used, in this order: <see cref="Item"/> (the character the
/// position sticks to), <see cref="TName"/> (the end or start of a root type) or <see cref="Type"/>
/// (the end or start of a nested type). A position made from a root type may carry both an item
/// and a root name; only the item is encoded, as in Yjs.
/// </remarks>
public sealed partial class RelativePosition
{
    /// <summary>Creates a position; at least one of the three anchors must be given.</summary>
    /// <param name="type">Id of the item whose content is the (nested) type, or null.</param>
    /// <param name="tname">Name of the root type in the doc, or null.</param>
    /// <param name="item">Id of the unit the position is associated with, or null for an end of the type.</param>
    /// <param name="assoc">
    /// &gt;= 0: the position sticks to the unit after it (the default); &lt; 0: to the unit before it.
    /// </param>
    public RelativePosition(ID? type, string? tname, ID? item, int assoc = 0)
    {
        if (type is null && tname is null && item is null)
        {
            throw new ArgumentException("A relative position needs a type id, a root type name or an item id.");
        }
        Type = type;
        TName = tname;
        Item = item;
        Assoc = assoc;
    }

    /// <summary>Id of the item that holds the nested type the position is in (Yjs <c>type</c>).</summary>
    public ID? Type { get; }

    /// <summary>Name of the root type the position is in (Yjs <c>tname</c>).</summary>
    public string? TName { get; }

    /// <summary>Id of the unit the position is associated with (Yjs <c>item</c>).</summary>
    public ID? Item { get; }

    /// <summary>Association: &gt;= 0 sticks to the unit after the position, &lt; 0 to the unit before it.</summary>
    public int Assoc { get; }

    /// <summary>
    /// Whether two positions are the same in every field (Yjs <c>compareRelativePositions</c>).
    /// Two nulls are equal; a position decoded from bytes may differ from the one it was encoded
    /// from because the encoding drops the root name when an item id is present.
    /// </summary>
    internal static bool CompareRelativePositions(RelativePosition? a, RelativePosition? b) =>
        ReferenceEquals(a, b) ||
        (a is not null && b is not null &&
         a.TName == b.TName && a.Item == b.Item && a.Type == b.Type && a.Assoc == b.Assoc);

    /// <inheritdoc />
    public override string ToString() =>
        $"RelativePosition(type: {Type?.ToString() ?? "null"}, tname: {TName ?? "null"}, item: {Item?.ToString() ?? "null"}, assoc: {Assoc})";
}
