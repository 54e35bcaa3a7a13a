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

    /// <summary>
    /// An op object: path and op name first, then <paramref name="fields"/> in order (ops.mjs reads
    /// them by name, but a fixed order keeps the scripts byte-stable). A null value is written as
    /// JSON null; optional fields that must be absent are left out by the caller.
    /// </summary>
    private static JsonObject Make(object[] path, string op, params (string Name, JsonNode? Value)[] fields)
    {
        var o = new JsonObject { ["path"] = Path(path), ["op"] = op };
        foreach (var (name, value) in fields)
        {
            o[name] = value;
        }

        return o;
    }

    /// <summary>Adds text attributes only when given: yjs treats a missing attrs and an empty one differently.</summary>
    private static JsonObject WithAttrs(JsonObject o, JsonObject? attrs)
    {
        if (attrs is not null)
        {
            o["attrs"] = attrs;
        }

        return o;
    }

    public static JsonObject Insert(object[] path, int index, string text, JsonObject? attrs = null) =>
        WithAttrs(Make(path, "insert", ("index", index), ("text", text)), attrs);

    public static JsonObject InsertEmbed(object[] path, int index, JsonNode embed, JsonObject? attrs = null) =>
        WithAttrs(Make(path, "insertEmbed", ("index", index), ("embed", embed)), attrs);

    public static JsonObject Delete(object[] path, int index, int length) =>
        Make(path, "delete", ("index", index), ("length", length));

    public static JsonObject Format(object[] path, int index, int length, JsonObject attrs) =>
        Make(path, "format", ("index", index), ("length", length), ("attrs", attrs));

    public static JsonObject ApplyDelta(object[] path, params JsonObject[] delta) =>
        Make(path, "applyDelta", ("delta", new JsonArray(delta.Select(d => (JsonNode?)d).ToArray())));

    public static JsonObject InsertValues(object[] path, int index, params JsonNode?[] values) =>
        Make(path, "insert", ("index", index), ("values", new JsonArray(values)));

    public static JsonObject Push(object[] path, params JsonNode?[] values) =>
        Make(path, "push", ("values", new JsonArray(values)));

    public static JsonObject Set(object[] path, string key, JsonNode? value) =>
        Make(path, "set", ("key", key), ("value", value));

    public static JsonObject DeleteKey(object[] path, string key) =>
        Make(path, "delete", ("key", key));

    public static JsonObject SetAttribute(object[] path, string name, JsonNode? value) =>
        Make(path, "setAttribute", ("name", name), ("value", value));

    public static JsonObject RemoveAttribute(object[] path, string name) =>
        Make(path, "removeAttribute", ("name", name));
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
