using System.Numerics;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

public partial class AbstractType
{
    internal void TypeMapDelete(Transaction transaction, string key)
    {
        if (Map.TryGetValue(key, out var c))
        {
            c.Delete(transaction);
        }
    }

    /// <summary>Sets <paramref name="key"/> by appending a new item after the key's current one.</summary>
    internal void TypeMapSet(Transaction transaction, string key, object? value)
    {
        if (value is AbstractType t)
        {
            EnsureCanHold(t);
        }
        Map.TryGetValue(key, out var left);
        IContent content = value switch
        {
            null or Undefined => new ContentAny(new List<object?> { value }),
            byte[] bytes => new ContentBinary(bytes),
            Doc subdoc => new ContentDoc(subdoc),
            AbstractType type => new ContentType(type),
            ReadOnlyMemory<byte> memory => new ContentBinary(memory.ToArray()),
            BigInteger => new ContentAny(new List<object?> { value }),
            _ when AnyValues.IsJsonLike(value) => new ContentAny(new List<object?> { AnyValues.Normalize(value) }),
            _ => throw new ArgumentException($"Unexpected content type: {value.GetType()}.", nameof(value)),
        };
        InsertItem(transaction, left, null, this, key, content);
    }

    /// <summary>The value of <paramref name="key"/>, or <see cref="Undefined.Value"/> if it is not set.</summary>
    internal object? TypeMapGet(string key)
    {
        if (Map.TryGetValue(key, out var val) && !val.Deleted)
        {
            return LastValue(val);
        }
        return Undefined.Value;
    }

    /// <summary>All set keys and their values, as a JS object would hold them.</summary>
    internal Dictionary<string, object?> TypeMapGetAll()
    {
        var pairs = new List<KeyValuePair<string, object?>>(Map.Count);
        foreach (var (key, value) in Map)
        {
            if (!value.Deleted)
            {
                pairs.Add(new KeyValuePair<string, object?>(key, LastValue(value)));
            }
        }
        return JsObjectOrder.ToObject(pairs, pairs.Count);
    }

    internal bool TypeMapHas(string key) => Map.TryGetValue(key, out var val) && !val.Deleted;

    /// <summary>The value <paramref name="key"/> had in <paramref name="snapshot"/>, or <see cref="Undefined.Value"/>.</summary>
    internal object? TypeMapGetSnapshot(string key, Snapshot snapshot)
    {
        Map.TryGetValue(key, out var v);
        v = NewestInSnapshot(v, snapshot);
        return v is not null && Snapshot.IsVisible(v, snapshot) ? LastValue(v) : Undefined.Value;
    }

    internal Dictionary<string, object?> TypeMapGetAllSnapshot(Snapshot snapshot)
    {
        var pairs = new List<KeyValuePair<string, object?>>(Map.Count);
        foreach (var (key, value) in Map)
        {
            var v = NewestInSnapshot(value, snapshot);
            if (v is not null && Snapshot.IsVisible(v, snapshot))
            {
                pairs.Add(new KeyValuePair<string, object?>(key, LastValue(v)));
            }
        }
        return JsObjectOrder.ToObject(pairs, pairs.Count);
    }

    /// <summary>
    /// The undeleted (key, item) pairs of the keyed content, in map order. The pairs are copied
    /// first so that callers may change the map while they enumerate (JS maps allow that).
    /// </summary>
    internal List<KeyValuePair<string, Item>> CreateMapIterator()
    {
        var entries = new List<KeyValuePair<string, Item>>(Map.Count);
        foreach (var entry in Map)
        {
            if (!entry.Value.Deleted)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>
    /// The value a map item holds (its last one). Content without values (a format a hostile
    /// peer put under a key) reads as undefined, as it does in JS.
    /// </summary>
    internal static object? LastValue(Item item)
    {
        var c = item.Content.GetContent();
        int i = item.Length - 1;
        return i >= 0 && i < c.Count ? c[i] : Undefined.Value;
    }

    /// <summary>Walks left from <paramref name="v"/> to the newest item of its key that the snapshot includes.</summary>
    private static Item? NewestInSnapshot(Item? v, Snapshot snapshot)
    {
        while (v is not null && (!snapshot.Sv.TryGetValue(v.Id.Client, out int clock) || v.Id.Clock >= clock))
        {
            v = v.Left;
        }
        return v;
    }
}
