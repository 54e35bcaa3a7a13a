using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A cursor between two items of a text (<see cref="Left"/> | <see cref="Right"/>) that knows
/// its index and the formatting attributes in effect at that point.
/// </summary>
internal sealed class ItemTextListPosition
{
    private OrderedDictionary<string, object?>? _currentAttributes;

    /// <summary>A position with no attributes in effect yet (the set is created when one is met).</summary>
    public ItemTextListPosition(Item? left, Item? right, int index)
    {
        Left = left;
        Right = right;
        Index = index;
    }

    public ItemTextListPosition(Item? left, Item? right, int index, OrderedDictionary<string, object?> currentAttributes)
        : this(left, right, index)
    {
        _currentAttributes = currentAttributes;
    }

    public Item? Left;

    public Item? Right;

    public int Index;

    /// <summary>Attributes in effect at this position; insertion order is observable in deltas.</summary>
    /// <remarks>Created on first use: plain text has no attributes and most positions never need the set.</remarks>
    public OrderedDictionary<string, object?> CurrentAttributes => _currentAttributes ??= new();

    /// <summary>Whether any attribute is in effect (without creating the set).</summary>
    public bool HasCurrentAttributes => _currentAttributes is { Count: > 0 };

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
