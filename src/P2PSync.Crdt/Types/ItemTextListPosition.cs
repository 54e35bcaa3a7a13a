using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A cursor between two items of a text (<see cref="Left"/> | <see cref="Right"/>) that knows
/// its index and the formatting attributes in effect at that point.
/// </summary>
internal sealed class ItemTextListPosition
{
    public ItemTextListPosition(Item? left, Item? right, int index, OrderedDictionary<string, object?> currentAttributes)
    {
        Left = left;
        Right = right;
        Index = index;
        CurrentAttributes = currentAttributes;
    }

    public Item? Left;

    public Item? Right;

    public int Index;

    /// <summary>Attributes in effect at this position; insertion order is observable in deltas.</summary>
    public OrderedDictionary<string, object?> CurrentAttributes;

    /// <summary>Steps over <see cref="Right"/>; only call when it is not null.</summary>
    public void Forward()
    {
        var right = Right ?? throw new InvalidOperationException("Cannot move past the end of the text.");
        if (right.Content is ContentFormat format)
        {
            if (!right.Deleted)
            {
                YText.UpdateCurrentAttributes(CurrentAttributes, format);
            }
        }
        else if (!right.Deleted)
        {
            Index += right.Length;
        }
        Left = right;
        Right = right.Right;
    }
}
