using System.Text.Json.Nodes;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using P2PSync.Interop.Tests.Support;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>
/// The C# half of tests/oracle/ops.mjs: performs one op of a script on our CRDT with the
/// same calls yjs gets, so that both libraries do exactly the same thing.
/// </summary>
internal static class OpInterpreter
{
    public static AbstractType ResolvePath(Doc doc, IReadOnlyDictionary<string, string> roots, JsonArray path)
    {
        if (path.Count == 0)
        {
            throw new ArgumentException("op.path must name a root");
        }

        var rootName = path[0]!.GetValue<string>();
        if (!roots.TryGetValue(rootName, out var kind))
        {
            throw new ArgumentException($"root {rootName} is not declared in script.roots");
        }

        var current = Roots.Get(doc, rootName, kind);
        for (var i = 1; i < path.Count; i++)
        {
            var seg = path[i]!;
            object? next = seg.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? current switch
                {
                    YMap m => m.Get(seg.GetValue<string>()),
                    YXmlElement e => e.GetAttribute(seg.GetValue<string>()),
                    YText t => t.GetAttribute(seg.GetValue<string>()),
                    _ => throw new ArgumentException($"path segment {seg} needs a map or element, found {current.GetType().Name}"),
                }
                : current switch
                {
                    YArray a => a.Get(seg.GetValue<int>()),
                    YXmlFragment f => f.Get(seg.GetValue<int>()),
                    _ => throw new ArgumentException($"path segment {seg} needs an array or xml node, found {current.GetType().Name}"),
                };
            current = next as AbstractType ?? throw new ArgumentException($"path {path.ToJsonString()} is not a shared type at segment {i}");
        }

        return current;
    }

    public static void Apply(Doc doc, IReadOnlyDictionary<string, string> roots, JsonObject op)
    {
        var target = ResolvePath(doc, roots, op["path"]!.AsArray());
        switch (target)
        {
            case YText text:
                ApplyText(text, op);
                break;
            case YMap map:
                ApplyMap(map, op);
                break;
            case YXmlElement element when Name(op) is "setAttribute" or "removeAttribute":
                ApplyAttribute(element, op);
                break;
            case YArray array:
                ApplyArray(array, op);
                break;
            case YXmlFragment fragment:
                ApplyXmlList(fragment, op);
                break;
            default:
                throw new ArgumentException($"cannot apply {Name(op)} to {target.GetType().Name}");
        }
    }

    private static string Name(JsonObject op) => op["op"]!.GetValue<string>();

    private static int Int(JsonObject op, string key) => op[key]!.GetValue<int>();

    private static string Str(JsonObject op, string key) => op[key]!.GetValue<string>();

    private static void ApplyText(YText text, JsonObject op)
    {
        switch (Name(op))
        {
            case "insert":
                text.Insert(Int(op, "index"), Str(op, "text"), Wire.AttributesFromWire(op["attrs"]));
                break;
            case "insertEmbed":
                text.InsertEmbed(Int(op, "index"), Wire.FromWire(op["embed"])!, Wire.AttributesFromWire(op["attrs"]));
                break;
            case "delete":
                text.Delete(Int(op, "index"), Int(op, "length"));
                break;
            case "format":
                text.Format(Int(op, "index"), Int(op, "length"), Wire.AttributesFromWire(op["attrs"])!);
                break;
            case "applyDelta":
                text.ApplyDelta(op["delta"]!.AsArray().Select(d => ToDeltaOp(d!.AsObject())).ToList(), sanitize: false);
                break;
            case "setAttribute":
                text.SetAttribute(Str(op, "name"), Wire.FromWire(op["value"]));
                break;
            case "removeAttribute":
                text.RemoveAttribute(Str(op, "name"));
                break;
            default:
                throw new ArgumentException($"op {Name(op)} is not defined for text");
        }
    }

    private static DeltaOp ToDeltaOp(JsonObject d)
    {
        var attrs = Wire.AttributesFromWire(d["attributes"]);
        if (d["insert"] is JsonNode insert)
        {
            object value = insert.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? insert.GetValue<string>()
                : Wire.FromWire(insert)!;
            return DeltaOp.InsertOp(value, attrs);
        }

        if (d["retain"] is JsonNode retain)
        {
            return DeltaOp.RetainOp(retain.GetValue<int>(), attrs);
        }

        return DeltaOp.DeleteOp(d["delete"]!.GetValue<int>());
    }

    private static void ApplyMap(YMap map, JsonObject op)
    {
        switch (Name(op))
        {
            case "set":
                map.Set(Str(op, "key"), Wire.FromWire(op["value"]));
                break;
            case "delete":
                map.Delete(Str(op, "key"));
                break;
            default:
                throw new ArgumentException($"op {Name(op)} is not defined for map");
        }
    }

    private static void ApplyAttribute(YXmlElement element, JsonObject op)
    {
        if (Name(op) == "setAttribute")
        {
            element.SetAttribute(Str(op, "name"), Wire.FromWire(op["value"]));
        }
        else
        {
            element.RemoveAttribute(Str(op, "name"));
        }
    }

    private static object?[] Values(JsonObject op) => op["values"]!.AsArray().Select(Wire.FromWire).ToArray();

    private static void ApplyArray(YArray array, JsonObject op)
    {
        switch (Name(op))
        {
            case "insert":
                array.Insert(Int(op, "index"), Values(op));
                break;
            case "push":
                array.Push(Values(op));
                break;
            case "delete":
                array.Delete(Int(op, "index"), Int(op, "length"));
                break;
            default:
                throw new ArgumentException($"op {Name(op)} is not defined for array");
        }
    }

    private static void ApplyXmlList(YXmlFragment fragment, JsonObject op)
    {
        switch (Name(op))
        {
            case "insert":
                fragment.Insert(Int(op, "index"), Values(op).Cast<AbstractType>().ToArray());
                break;
            case "push":
                fragment.Push(Values(op).Cast<AbstractType>().ToArray());
                break;
            case "delete":
                fragment.Delete(Int(op, "index"), Int(op, "length"));
                break;
            default:
                throw new ArgumentException($"op {Name(op)} is not defined for {fragment.GetType().Name}");
        }
    }
}
