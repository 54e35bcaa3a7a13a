using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

// The rich-text algorithms of Yjs YText.js. Formatting is stored as ContentFormat items in the
// item list: a format item sets (or, with a null value, clears) one attribute for everything
// to its right, until the next format item with the same key.
public partial class YText
{
    /// <summary>JS <c>value ?? null</c>: undefined reads as null.</summary>
    internal static object? OrNull(object? value) => value is Undefined ? null : value;

    internal static void UpdateCurrentAttributes(OrderedDictionary<string, object?> currentAttributes, ContentFormat format)
    {
        if (format.Value is null)
        {
            currentAttributes.Remove(format.Key);
        }
        else
        {
            currentAttributes[format.Key] = format.Value;
        }
    }

    /// <summary>Moves <paramref name="pos"/> right by <paramref name="count"/> units, splitting the item it lands in.</summary>
    internal static ItemTextListPosition FindNextPosition(Transaction transaction, ItemTextListPosition pos, int count)
    {
        while (pos.Right is not null && count > 0)
        {
            var right = pos.Right;
            if (right.Content is ContentFormat format)
            {
                if (!right.Deleted)
                {
                    UpdateCurrentAttributes(pos.CurrentAttributes, format);
                }
            }
            else if (!right.Deleted)
            {
                if (count < right.Length)
                {
                    StructStore.GetItemCleanStart(transaction, new ID(right.Id.Client, right.Id.Clock + count));
                }
                pos.Index += right.Length;
                count -= right.Length;
            }
            pos.Left = right;
            pos.Right = right.Right;
        }
        return pos;
    }

    /// <summary>
    /// The position at <paramref name="index"/>. Search markers are only safe to use when the
    /// caller does not need the attributes in effect there (they start from an empty set).
    /// </summary>
    internal static ItemTextListPosition FindPosition(Transaction transaction, AbstractType parent, int index, bool useSearchMarker)
    {
        var marker = useSearchMarker ? parent.FindMarker(index) : null;
        if (marker is not null)
        {
            var pos = new ItemTextListPosition(marker.P.Left, marker.P, marker.Index);
            return FindNextPosition(transaction, pos, index - marker.Index);
        }
        return FindNextPosition(transaction, new ItemTextListPosition(null, parent.Start, 0), index);
    }

    /// <summary>
    /// After inserted or formatted content, restores the attributes that were in effect before
    /// (the negated ones), skipping those that a following format item already restores.
    /// </summary>
    private static void InsertNegatedAttributes(Transaction transaction, AbstractType parent, ItemTextListPosition currPos, OrderedDictionary<string, object?>? negatedAttributes)
    {
        while (currPos.Right is { } right
            && (right.Deleted
                || (right.Content is ContentFormat format
                    && JsEquality.EqualAttrs(negatedAttributes is not null && negatedAttributes.TryGetValue(format.Key, out var negated) ? negated : Undefined.Value, format.Value))))
        {
            if (!right.Deleted)
            {
                negatedAttributes?.Remove(((ContentFormat)right.Content).Key);
            }
            currPos.Forward();
        }
        if (negatedAttributes is null)
        {
            return;
        }
        foreach (var (key, val) in negatedAttributes)
        {
            currPos.Right = InsertItem(transaction, currPos.Left, currPos.Right, parent, null, new ContentFormat(key, val));
            currPos.Forward();
        }
    }

    /// <summary>Skips deleted items and format items that already set what <paramref name="attributes"/> asks for.</summary>
    private static void MinimizeAttributeChanges(ItemTextListPosition currPos, IReadOnlyDictionary<string, object?> attributes)
    {
        while (currPos.Right is { } right)
        {
            if (!right.Deleted
                && !(right.Content is ContentFormat format
                    && JsEquality.EqualAttrs(OrNull(attributes.GetValueOrDefault(format.Key)), format.Value)))
            {
                break;
            }
            currPos.Forward();
        }
    }

    /// <summary>
    /// Inserts a format item for every attribute whose value differs from the one in effect;
    /// returns the previous values (null where unset) so they can be restored afterwards.
    /// </summary>
    /// <remarks>Returns null instead of an empty set, which is the common case when typing.</remarks>
    private static OrderedDictionary<string, object?>? InsertAttributes(Transaction transaction, AbstractType parent, ItemTextListPosition currPos, IReadOnlyDictionary<string, object?> attributes)
    {
        if (attributes.Count == 0)
        {
            return null;
        }
        OrderedDictionary<string, object?>? negatedAttributes = null;
        foreach (var key in JsObjectOrder.Keys(attributes))
        {
            var val = attributes[key];
            var currentVal = OrNull(currPos.CurrentAttributes.GetValueOrDefault(key));
            if (!JsEquality.EqualAttrs(currentVal, val))
            {
                (negatedAttributes ??= new OrderedDictionary<string, object?>())[key] = currentVal;
                currPos.Right = InsertItem(transaction, currPos.Left, currPos.Right, parent, null, new ContentFormat(key, val));
                currPos.Forward();
            }
        }
        return negatedAttributes;
    }

    /// <summary>
    /// Inserts text (a string), an embed or a shared type at <paramref name="currPos"/> with exactly
    /// <paramref name="attributes"/>: attributes in effect but not listed are cleared for it.
    /// </summary>
    internal static void InsertText(Transaction transaction, AbstractType parent, ItemTextListPosition currPos, object text, IReadOnlyDictionary<string, object?> attributes)
    {
        if (text is AbstractType embeddedType)
        {
            parent.EnsureCanHold(embeddedType);
        }
        if (currPos.HasCurrentAttributes)
        {
            attributes = WithInheritedCleared(attributes, currPos.CurrentAttributes);
        }
        MinimizeAttributeChanges(currPos, attributes);
        var negatedAttributes = InsertAttributes(transaction, parent, currPos, attributes);
        IContent content = text switch
        {
            string s => new ContentString(s),
            AbstractType type => new ContentType(type),
            _ => new ContentEmbed(text),
        };
        var left = currPos.Left;
        var right = currPos.Right;
        int index = currPos.Index;
        if (parent.SearchMarker is not null)
        {
            UpdateMarkerChanges(parent.SearchMarker, currPos.Index, content.Length);
        }
        right = InsertItem(transaction, left, right, parent, null, content);
        currPos.Right = right;
        currPos.Index = index;
        currPos.Forward();
        InsertNegatedAttributes(transaction, parent, currPos, negatedAttributes);
    }

    /// <summary>
    /// <paramref name="attributes"/> plus a null (clear) for each attribute in effect that it does
    /// not mention (Yjs writes these nulls into the caller's object; we copy instead).
    /// </summary>
    private static IReadOnlyDictionary<string, object?> WithInheritedCleared(IReadOnlyDictionary<string, object?> attributes, OrderedDictionary<string, object?> currentAttributes)
    {
        if (currentAttributes.Count == 0)
        {
            return attributes;
        }
        bool missing = false;
        foreach (var key in currentAttributes.Keys)
        {
            if (!attributes.TryGetValue(key, out var v) || v is Undefined)
            {
                missing = true;
                break;
            }
        }
        if (!missing)
        {
            return attributes;
        }
        var builder = new JsObjectBuilder(attributes.Count + currentAttributes.Count);
        foreach (var key in JsObjectOrder.Keys(attributes))
        {
            builder.Assign(key, attributes[key], protoIsSetter: false);
        }
        foreach (var key in currentAttributes.Keys)
        {
            if (!attributes.TryGetValue(key, out var v) || v is Undefined)
            {
                builder.Assign(key, null, protoIsSetter: false);
            }
        }
        return builder.Build();
    }

    /// <summary>
    /// Applies <paramref name="attributes"/> to <paramref name="length"/> units from <paramref name="currPos"/>,
    /// removing format items inside the range that the new attributes supersede. Formatting beyond
    /// the end of the text appends newlines (Quill's documents always end with one).
    /// </summary>
    internal static void FormatText(Transaction transaction, AbstractType parent, ItemTextListPosition currPos, int length, IReadOnlyDictionary<string, object?> attributes)
    {
        MinimizeAttributeChanges(currPos, attributes);
        var negatedAttributes = InsertAttributes(transaction, parent, currPos, attributes) ?? new OrderedDictionary<string, object?>();
        // Walk the range, and past its end over formats as long as there are negations to place,
        // so that no redundant negation is inserted right before an equivalent format item.
        while (currPos.Right is { } right
            && (length > 0 || (negatedAttributes.Count > 0 && (right.Deleted || right.Content is ContentFormat))))
        {
            if (!right.Deleted)
            {
                if (right.Content is ContentFormat format)
                {
                    string key = format.Key;
                    object? value = format.Value;
                    if (attributes.TryGetValue(key, out var attr) && attr is not Undefined)
                    {
                        if (JsEquality.EqualAttrs(attr, value))
                        {
                            negatedAttributes.Remove(key);
                        }
                        else
                        {
                            if (length == 0)
                            {
                                break;
                            }
                            negatedAttributes[key] = value;
                        }
                        right.Delete(transaction);
                    }
                    else
                    {
                        currPos.CurrentAttributes[key] = value;
                    }
                }
                else
                {
                    if (length < right.Length)
                    {
                        StructStore.GetItemCleanStart(transaction, new ID(right.Id.Client, right.Id.Clock + length));
                    }
                    length -= right.Length;
                }
            }
            currPos.Forward();
        }
        if (length > 0)
        {
            currPos.Right = InsertItem(transaction, currPos.Left, currPos.Right, parent, null, new ContentString(new string('\n', length)));
            currPos.Forward();
        }
        InsertNegatedAttributes(transaction, parent, currPos, negatedAttributes);
    }

    /// <summary>
    /// Deletes <paramref name="length"/> units of content (text, embeds, types) from <paramref name="currPos"/>,
    /// then removes the format items the deletion made redundant.
    /// </summary>
    internal static ItemTextListPosition DeleteText(Transaction transaction, ItemTextListPosition currPos, int length)
    {
        int startLength = length;
        IReadOnlyDictionary<string, object?> startAttrs = !currPos.HasCurrentAttributes
            ? NoAttributes
            : new OrderedDictionary<string, object?>(currPos.CurrentAttributes);
        var start = currPos.Right;
        while (length > 0 && currPos.Right is { } right)
        {
            if (!right.Deleted && right.Content is ContentType or ContentEmbed or ContentString)
            {
                if (length < right.Length)
                {
                    StructStore.GetItemCleanStart(transaction, new ID(right.Id.Client, right.Id.Clock + length));
                }
                length -= right.Length;
                right.Delete(transaction);
            }
            currPos.Forward();
        }
        if (start is not null)
        {
            CleanupFormattingGap(transaction, start, currPos.Right, startAttrs, currPos);
        }
        // Yjs reads the parent from a neighbour; in an empty text there is none and nothing to update.
        var parent = (currPos.Left ?? currPos.Right)?.Parent;
        if (parent?.SearchMarker is not null)
        {
            UpdateMarkerChanges(parent.SearchMarker, currPos.Index, -startLength + length);
        }
        return currPos;
    }
}
