using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Positions;

// The JSON shape is Yjs's relativePositionToJSON: {"type":{"client","clock"}, "tname", "item":{...},
// "assoc"}, absent anchors omitted. Values use the lib0 "any" representation, so
// Lib0Any.ToJsonString turns the object into the same text JSON.stringify prints in Yjs.
public sealed partial class RelativePosition
{
    private const string TypeKey = "type";
    private const string TNameKey = "tname";
    private const string ItemKey = "item";
    private const string AssocKey = "assoc";
    private const string ClientKey = "client";
    private const string ClockKey = "clock";

    // Integers above this are not exact in a JS number, so no Yjs peer can have produced them.
    private const double MaxSafeInteger = 9007199254740991d;

    internal static Dictionary<string, object?> RelativePositionToJson(RelativePosition rpos)
    {
        var json = new Dictionary<string, object?>(4);
        if (rpos.Type is { } type)
        {
            json[TypeKey] = IdToJson(type);
        }
        // Yjs tests the name for truthiness, so an empty root name is left out as well.
        if (!string.IsNullOrEmpty(rpos.TName))
        {
            json[TNameKey] = rpos.TName;
        }
        if (rpos.Item is { } item)
        {
            json[ItemKey] = IdToJson(item);
        }
        json[AssocKey] = (long)rpos.Assoc;
        return json;
    }

    /// <summary>
    /// Reads the shape written by <see cref="RelativePositionToJson"/> (or by Yjs). Absent or null
    /// fields are treated as missing; anything else that does not fit throws
    /// <see cref="UpdateFormatException"/>.
    /// </summary>
    internal static RelativePosition CreateRelativePositionFromJson(IReadOnlyDictionary<string, object?> json)
    {
        var type = IdFromJson(json, TypeKey);
        string? tname = null;
        if (json.TryGetValue(TNameKey, out var tnameValue) && tnameValue is not null)
        {
            tname = tnameValue as string ?? throw new UpdateFormatException("Relative position 'tname' must be a string.");
        }
        var item = IdFromJson(json, ItemKey);
        var assoc = 0;
        if (json.TryGetValue(AssocKey, out var assocValue) && assocValue is not null)
        {
            assoc = (int)ReadInteger(assocValue, AssocKey, int.MinValue, int.MaxValue);
        }
        if (type is null && tname is null && item is null)
        {
            throw new UpdateFormatException("Relative position JSON has neither 'type', 'tname' nor 'item'.");
        }
        return new RelativePosition(type, tname, item, assoc);
    }

    private static Dictionary<string, object?> IdToJson(ID id) => new(2)
    {
        [ClientKey] = (long)id.Client,
        [ClockKey] = (long)id.Clock,
    };

    private static ID? IdFromJson(IReadOnlyDictionary<string, object?> json, string key)
    {
        if (!json.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }
        if (value is not IReadOnlyDictionary<string, object?> idJson)
        {
            throw new UpdateFormatException($"Relative position '{key}' must be an object with 'client' and 'clock'.");
        }
        if (!idJson.TryGetValue(ClientKey, out var client) || client is null ||
            !idJson.TryGetValue(ClockKey, out var clock) || clock is null)
        {
            throw new UpdateFormatException($"Relative position '{key}' needs 'client' and 'clock'.");
        }
        return new ID(
            (ulong)ReadInteger(client, ClientKey, 0, (long)MaxSafeInteger),
            (int)ReadInteger(clock, ClockKey, 0, int.MaxValue));
    }

    private static long ReadInteger(object value, string name, long min, long max)
    {
        if (value is long l)
        {
            return l >= min && l <= max ? l : throw OutOfRange(name);
        }
        if (value is ulong ul)
        {
            return ul <= (ulong)max ? (long)ul : throw OutOfRange(name);
        }
        if (value is not (int or double or float or uint or short or ushort or byte or sbyte))
        {
            throw new UpdateFormatException($"Relative position '{name}' must be a number.");
        }
        var number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        if (double.IsNaN(number) || Math.Floor(number) != number)
        {
            throw new UpdateFormatException($"Relative position '{name}' must be an integer.");
        }
        return number >= min && number <= max ? (long)number : throw OutOfRange(name);
    }

    private static UpdateFormatException OutOfRange(string name) =>
        new($"Relative position '{name}' is out of range.");
}
