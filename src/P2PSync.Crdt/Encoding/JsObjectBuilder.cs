namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Collects key/value pairs the way a JS object stores properties, so that decoded objects
/// enumerate (and re-encode) in the same order as in yjs: array-index keys first in ascending
/// numeric order, then other keys in first-insertion order; a repeated key keeps its first
/// position and takes the last value.
/// </summary>
internal sealed class JsObjectBuilder
{
    private readonly Dictionary<string, object?> _values;
    private bool _hasIndexKey;

    public JsObjectBuilder(int capacity)
    {
        _values = new Dictionary<string, object?>(capacity);
    }

    /// <param name="key">Property name.</param>
    /// <param name="value">Property value.</param>
    /// <param name="protoIsSetter">
    /// True for plain assignment (<c>obj[key] = v</c>), where "__proto__" changes the prototype
    /// and never becomes an own key; false for JSON.parse, which defines it as a normal key.
    /// </param>
    public void Assign(string key, object? value, bool protoIsSetter)
    {
        if (protoIsSetter && key == "__proto__")
        {
            return;
        }
        _values[key] = value;
        _hasIndexKey |= IsArrayIndex(key);
    }

    public Dictionary<string, object?> Build()
    {
        if (!_hasIndexKey)
        {
            return _values;
        }
        var indexKeys = new List<(uint Index, string Key)>();
        foreach (var key in _values.Keys)
        {
            if (IsArrayIndex(key))
            {
                indexKeys.Add((uint.Parse(key, System.Globalization.CultureInfo.InvariantCulture), key));
            }
        }
        indexKeys.Sort((x, y) => x.Index.CompareTo(y.Index));
        var ordered = new Dictionary<string, object?>(_values.Count);
        foreach (var (_, key) in indexKeys)
        {
            ordered[key] = _values[key];
        }
        foreach (var pair in _values)
        {
            if (!IsArrayIndex(pair.Key))
            {
                ordered[pair.Key] = pair.Value;
            }
        }
        return ordered;
    }

    /// <summary>A canonical decimal uint32 below 2^32 - 1, which JS enumerates before other keys.</summary>
    internal static bool IsArrayIndex(string key)
    {
        if (key.Length == 0 || key.Length > 10)
        {
            return false;
        }
        if (key[0] == '0')
        {
            return key.Length == 1;
        }
        ulong value = 0;
        foreach (var c in key)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = value * 10 + (ulong)(c - '0');
        }
        return value < uint.MaxValue;
    }
}
