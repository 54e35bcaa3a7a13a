using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Support;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>Factories for the ops of an op script (see ops.mjs). Paths start with a root name.</summary>
internal static class Op
{
    public static JsonArray Path(params object[] segments) =>
        new(segments.Select(s => s switch
        {
            string str => (JsonNode?)JsonValue.Create(str),
            int i => JsonValue.Create(i),
            _ => throw new ArgumentException($"path segment {s}"),
        }).ToArray());

    private static JsonObject Make(object[] path, string op) => new() { ["path"] = Path(path), ["op"] = op };

    public static JsonObject Insert(object[] path, int index, string text, JsonObject? attrs = null)
    {
        var o = Make(path, "insert");
        o["index"] = index;
        o["text"] = text;
        if (attrs is not null)
        {
            o["attrs"] = attrs;
        }

        return o;
    }

    public static JsonObject InsertEmbed(object[] path, int index, JsonNode embed, JsonObject? attrs = null)
    {
        var o = Make(path, "insertEmbed");
        o["index"] = index;
        o["embed"] = embed;
        if (attrs is not null)
        {
            o["attrs"] = attrs;
        }

        return o;
    }

    public static JsonObject Delete(object[] path, int index, int length)
    {
        var o = Make(path, "delete");
        o["index"] = index;
        o["length"] = length;
        return o;
    }

    public static JsonObject Format(object[] path, int index, int length, JsonObject attrs)
    {
        var o = Make(path, "format");
        o["index"] = index;
        o["length"] = length;
        o["attrs"] = attrs;
        return o;
    }

    public static JsonObject ApplyDelta(object[] path, params JsonObject[] delta)
    {
        var o = Make(path, "applyDelta");
        o["delta"] = new JsonArray(delta.Select(d => (JsonNode?)d).ToArray());
        return o;
    }

    public static JsonObject InsertValues(object[] path, int index, params JsonNode?[] values)
    {
        var o = Make(path, "insert");
        o["index"] = index;
        o["values"] = new JsonArray(values);
        return o;
    }

    public static JsonObject Push(object[] path, params JsonNode?[] values)
    {
        var o = Make(path, "push");
        o["values"] = new JsonArray(values);
        return o;
    }

    public static JsonObject Set(object[] path, string key, JsonNode? value)
    {
        var o = Make(path, "set");
        o["key"] = key;
        o["value"] = value;
        return o;
    }

    public static JsonObject DeleteKey(object[] path, string key)
    {
        var o = Make(path, "delete");
        o["key"] = key;
        return o;
    }

    public static JsonObject SetAttribute(object[] path, string name, JsonNode? value)
    {
        var o = Make(path, "setAttribute");
        o["name"] = name;
        o["value"] = value;
        return o;
    }

    public static JsonObject RemoveAttribute(object[] path, string name)
    {
        var o = Make(path, "removeAttribute");
        o["name"] = name;
        return o;
    }
}

/// <summary>Wire values for op arguments (see the escape list in values.mjs).</summary>
internal static class V
{
    public static JsonNode? Of(object? value) => value is JsonNode node ? node.DeepClone() : Wire.ToWire(value);

    public static JsonObject Type(string kind) => new() { ["$type"] = kind };

    public static JsonObject Element(string name) => new() { ["$type"] = "xmlElement", ["name"] = name };

    public static JsonObject Hook(string hookName) => new() { ["$type"] = "xmlHook", ["hookName"] = hookName };

    public static JsonObject Subdoc(string guid, JsonObject? opts = null) =>
        new() { ["$doc"] = new JsonObject { ["guid"] = guid, ["opts"] = opts ?? new JsonObject() } };

    public static JsonObject Obj(params (string Key, object? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (k, v) in members)
        {
            o[k] = Of(v);
        }

        return o;
    }

    public static JsonArray Arr(params object?[] items) => new(items.Select(Of).ToArray());

    public static JsonObject Delta(string? insert = null, int? retain = null, int? delete = null, JsonObject? attributes = null, JsonNode? insertValue = null)
    {
        var o = new JsonObject();
        if (insert is not null)
        {
            o["insert"] = insert;
        }

        if (insertValue is not null)
        {
            o["insert"] = insertValue;
        }

        if (retain is int r)
        {
            o["retain"] = r;
        }

        if (delete is int d)
        {
            o["delete"] = d;
        }

        if (attributes is not null)
        {
            o["attributes"] = attributes;
        }

        return o;
    }
}
