using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

// Removal of redundant format items. Concurrent formatting can leave format items that
// change nothing (or that are overridden before any content); these functions delete them
// so that deltas stay minimal and every peer converges on the same formatting items.
public partial class YText
{
    /// <summary>
    /// Cleans the run of non-content items between <paramref name="start"/> and the next content
    /// item: a format item is removed if a later one in the run overrides it or if it sets what
    /// was already in effect. Keeps <paramref name="currAttributes"/> (the attributes in effect at
    /// <paramref name="curr"/>) consistent with the removals. Returns how many items were removed.
    /// </summary>
    internal static int CleanupFormattingGap(Transaction transaction, Item start, Item? curr, IReadOnlyDictionary<string, object?> startAttributes, OrderedDictionary<string, object?> currAttributes)
    {
        var endFormats = FindGapFormats(start, out var end);
        // Without live formats in the gap there is nothing to clean.
        return endFormats is null ? 0 : CleanupFormattingGap(transaction, start, end, endFormats, curr, startAttributes, currAttributes);
    }

    /// <inheritdoc cref="CleanupFormattingGap(Transaction, Item, Item?, IReadOnlyDictionary{string, object?}, OrderedDictionary{string, object?})"/>
    /// <remarks>Takes the attributes from <paramref name="currPos"/> only if there is something to clean.</remarks>
    internal static int CleanupFormattingGap(Transaction transaction, Item start, Item? curr, IReadOnlyDictionary<string, object?> startAttributes, ItemTextListPosition currPos)
    {
        var endFormats = FindGapFormats(start, out var end);
        return endFormats is null ? 0 : CleanupFormattingGap(transaction, start, end, endFormats, curr, startAttributes, currPos.CurrentAttributes);
    }

    /// <summary>The last live format item per key in the gap from <paramref name="start"/> to the next content item (<paramref name="end"/>); null if none.</summary>
    private static Dictionary<string, ContentFormat>? FindGapFormats(Item start, out Item? end)
    {
        end = start;
        Dictionary<string, ContentFormat>? endFormats = null;
        while (end is not null && (!end.Countable || end.Deleted))
        {
            if (!end.Deleted && end.Content is ContentFormat cf)
            {
                (endFormats ??= new Dictionary<string, ContentFormat>())[cf.Key] = cf;
            }
            end = end.Right;
        }
        return endFormats;
    }

    private static int CleanupFormattingGap(Transaction transaction, Item start, Item? end, Dictionary<string, ContentFormat> endFormats, Item? curr, IReadOnlyDictionary<string, object?> startAttributes, OrderedDictionary<string, object?> currAttributes)
    {
        int cleanups = 0;
        bool reachedCurr = false;
        Item? s = start;
        while (s != end && s is not null)
        {
            if (curr == s)
            {
                reachedCurr = true;
            }
            if (!s.Deleted && s.Content is ContentFormat format)
            {
                string key = format.Key;
                object? value = format.Value;
                object? startAttrValue = OrNull(startAttributes.GetValueOrDefault(key));
                if (!ReferenceEquals(endFormats.GetValueOrDefault(key), format) || JsEquality.StrictEquals(startAttrValue, value))
                {
                    // Overridden later in the gap, or it sets what was already in effect.
                    s.Delete(transaction);
                    cleanups++;
                    if (!reachedCurr
                        && JsEquality.StrictEquals(OrNull(currAttributes.GetValueOrDefault(key)), value)
                        && !JsEquality.StrictEquals(startAttrValue, value))
                    {
                        if (startAttrValue is null)
                        {
                            currAttributes.Remove(key);
                        }
                        else
                        {
                            currAttributes[key] = startAttrValue;
                        }
                    }
                }
                if (!reachedCurr && !s.Deleted)
                {
                    UpdateCurrentAttributes(currAttributes, format);
                }
            }
            s = s.Right;
        }
        return cleanups;
    }

    /// <summary>
    /// Without knowing the attributes in effect, removes format items in the gap around
    /// <paramref name="item"/> that a later item with the same key overrides.
    /// </summary>
    internal static void CleanupContextlessFormattingGap(Transaction transaction, Item? item)
    {
        while (item is not null && item.Right is not null && (item.Right.Deleted || !item.Right.Countable))
        {
            item = item.Right;
        }
        var attrs = new HashSet<string>();
        while (item is not null && (item.Deleted || !item.Countable))
        {
            if (!item.Deleted && item.Content is ContentFormat format && !attrs.Add(format.Key))
            {
                item.Delete(transaction);
            }
            item = item.Left;
        }
    }

    /// <summary>
    /// Walks the whole type twice over and removes every redundant format item; returns how many.
    /// Yjs calls this experimental; it runs after remote changes that involved formatting.
    /// </summary>
    internal static int CleanupYTextFormatting(AbstractType type)
    {
        int res = 0;
        Transaction.Transact(type.Doc!, transaction =>
        {
            var start = type.Start;
            var end = type.Start;
            var startAttributes = new OrderedDictionary<string, object?>();
            var currentAttributes = new OrderedDictionary<string, object?>();
            while (end is not null)
            {
                if (!end.Deleted)
                {
                    if (end.Content is ContentFormat format)
                    {
                        UpdateCurrentAttributes(currentAttributes, format);
                    }
                    else
                    {
                        res += CleanupFormattingGap(transaction, start!, end, startAttributes, currentAttributes);
                        startAttributes = new OrderedDictionary<string, object?>(currentAttributes);
                        start = end;
                    }
                }
                end = end.Right;
            }
        });
        return res;
    }

    /// <summary>
    /// Called by the transaction after its observers ran (when a remote change touched a text with
    /// formatting): fully cleans every text that got new or deleted format items, and cleans only
    /// around the deleted content of the others.
    /// </summary>
    internal static void CleanupYTextAfterTransaction(Transaction transaction)
    {
        var needFullCleanup = new List<AbstractType>();
        var needFullCleanupSet = new HashSet<AbstractType>(ReferenceEqualityComparer.Instance);
        var doc = transaction.Doc;
        for (var c = 0; c < transaction.ChangedClientCount; c++)
        {
            var (client, clock, afterClock) = transaction.GetChangedClient(c);
            if (afterClock == clock || !doc.Store.Clients.TryGetValue(client, out var structs))
            {
                continue;
            }
            // Yjs passes the end clock where a length is expected, so it scans past the new
            // structs; we keep that range (clamped against overflow) to visit the same items.
            int len = (int)Math.Min(afterClock, (long)int.MaxValue - clock);
            StructStore.IterateStructs(transaction, structs, clock, len, s =>
            {
                if (!s.Deleted && s is Item { Content: ContentFormat, Parent: { } parent } && needFullCleanupSet.Add(parent))
                {
                    needFullCleanup.Add(parent);
                }
            });
        }
        Transaction.Transact(doc, t =>
        {
            DeleteSet.IterateDeletedStructs(transaction, transaction.DeleteSet, s =>
            {
                if (s is not Item item || item.Parent is not { HasFormatting: true } parent || needFullCleanupSet.Contains(parent))
                {
                    return;
                }
                if (item.Content is ContentFormat)
                {
                    needFullCleanupSet.Add(parent);
                    needFullCleanup.Add(parent);
                }
                else
                {
                    CleanupContextlessFormattingGap(t, item);
                }
            });
            foreach (var yText in needFullCleanup)
            {
                CleanupYTextFormatting(yText);
            }
        });
    }
}
