using System.Collections;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A shared string-keyed map (Yjs Y.Map). Values are what <see cref="YArray"/> accepts, plus
/// <c>BigInteger</c> and <see cref="Undefined.Value"/>. Concurrent sets of one key resolve
/// deterministically to one winner on every peer.
/// </summary>
public class YMap : AbstractType, IEnumerable<KeyValuePair<string, object?>>
{
    /// <summary>Entries set before integration; set for real once the map is part of a doc.</summary>
    private OrderedDictionary<string, object?>? prelimContent;

    public YMap()
    {
        prelimContent = new OrderedDictionary<string, object?>();
    }

    /// <summary>A new (not yet integrated) map holding <paramref name="entries"/>.</summary>
    public YMap(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        prelimContent = new OrderedDictionary<string, object?>();
        foreach (var (key, value) in entries)
        {
            prelimContent[key] = value;
        }
    }

    internal override void Integrate(Doc y, Item? item)
    {
        base.Integrate(y, item);
        var content = prelimContent!;
        prelimContent = null;
        foreach (var (key, value) in content)
        {
            Set(key, value);
        }
    }

    internal override AbstractType Copy() => new YMap();

    /// <inheritdoc />
    public override AbstractType Clone()
    {
        var map = new YMap();
        foreach (var (key, value) in Entries())
        {
            map.Set(key, value is AbstractType type ? type.Clone() : value);
        }
        return map;
    }

    internal override void CallObserver(Transaction transaction) =>
        CallTypeObservers(transaction);

    internal override YEvent CreateEvent(Transaction transaction, HashSet<string?> subs) => new YMapEvent(this, transaction, subs);

    /// <summary>The entries with nested shared types converted to their JSON form.</summary>
    public override object? ToJson()
    {
        var pairs = new List<KeyValuePair<string, object?>>(Map.Count);
        foreach (var (key, item) in Map)
        {
            if (!item.Deleted)
            {
                pairs.Add(new KeyValuePair<string, object?>(key, ElementToJson(LastValue(item))));
            }
        }
        return JsObjectOrder.ToObject(pairs, pairs.Count);
    }

    /// <summary>Number of keys that are set.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (var item in Map.Values)
            {
                if (!item.Deleted)
                {
                    count++;
                }
            }
            return count;
        }
    }

    /// <summary>The keys that are set, in insertion order of their first set.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var (key, _) in CreateMapIterator())
            {
                yield return key;
            }
        }
    }

    /// <summary>The values of the keys that are set.</summary>
    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var (_, item) in CreateMapIterator())
            {
                yield return LastValue(item);
            }
        }
    }

    /// <summary>The (key, value) pairs that are set.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Entries()
    {
        foreach (var (key, item) in CreateMapIterator())
        {
            yield return new KeyValuePair<string, object?>(key, LastValue(item));
        }
    }

    /// <summary>Calls <paramref name="f"/> with each value, its key and this map.</summary>
    public void ForEach(Action<object?, string, YMap> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        foreach (var (key, item) in CreateMapIterator())
        {
            f(LastValue(item), key, this);
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Entries().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Removes <paramref name="key"/>.</summary>
    public void Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // Inside a running transaction, join it without a closure (see YArray.Insert).
        if (Doc?.Transaction is { } running)
        {
            TypeMapDelete(running, key);
        }
        else
        {
            DeleteOutsideTransaction(key);
        }
    }

    private void DeleteOutsideTransaction(string key)
    {
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeMapDelete(transaction, key));
        }
        else
        {
            prelimContent!.Remove(key);
        }
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> (which may be null) and returns the value.</summary>
    /// <exception cref="ArgumentException">The value is of a kind a Yjs map cannot hold.</exception>
    public object? Set(string key, object? value) => Set<object?>(key, value);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> and returns the value (typed, for chaining new types).</summary>
    /// <exception cref="ArgumentException">The value is of a kind a Yjs map cannot hold.</exception>
    public T Set<T>(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Doc?.Transaction is { } running)
        {
            TypeMapSet(running, key, value);
        }
        else
        {
            SetOutsideTransaction(key, value);
        }
        return value;
    }

    private void SetOutsideTransaction(string key, object? value)
    {
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction => TypeMapSet(transaction, key, value));
        }
        else
        {
            prelimContent![key] = value;
        }
    }

    /// <summary>The value of <paramref name="key"/>, or <see cref="Undefined.Value"/> if it is not set.</summary>
    public object? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TypeMapGet(key);
    }

    /// <summary>Gets the value of <paramref name="key"/> if it is set.</summary>
    public bool TryGet(string key, out object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Map.TryGetValue(key, out var item) && !item.Deleted)
        {
            value = LastValue(item);
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Whether <paramref name="key"/> is set.</summary>
    public bool Has(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TypeMapHas(key);
    }

    /// <summary>Removes every key.</summary>
    public void Clear()
    {
        if (Doc is not null)
        {
            Transaction.Transact(Doc, transaction =>
            {
                foreach (var (key, _) in CreateMapIterator())
                {
                    TypeMapDelete(transaction, key);
                }
            });
        }
        else
        {
            prelimContent!.Clear();
        }
    }

    internal override void Write(IUpdateEncoder encoder) => encoder.WriteTypeRef(TypeRefs.YMap);
}
