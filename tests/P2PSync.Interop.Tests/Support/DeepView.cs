using System.Text.Json.Nodes;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;

namespace P2PSync.Interop.Tests.Support;

/// <summary>
/// The structural view of a document that deepDoc/deepType in tests/oracle/values.mjs
/// compute with yjs: unlike toJSON it keeps formatting, embeds, XML attributes and
/// subdocument options, so two documents with equal views really hold the same content.
/// </summary>
internal static class DeepView
{
    /// <summary>Deep view of the named roots (keys sorted ordinally, like the JS side).</summary>
    public static JsonObject OfDoc(Doc doc, IReadOnlyDictionary<string, string> roots)
    {
        var result = new JsonObject();
        foreach (var name in roots.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            result[name] = OfType(Roots.Get(doc, name, roots[name]));
        }

        return result;
    }

    public static JsonObject OfType(AbstractType type) => type switch
    {
        YXmlHook hook => new JsonObject { ["$xmlHook"] = hook.HookName, ["map"] = MapEntries(hook) },
        YXmlText xmlText => new JsonObject { ["$xmlText"] = Delta(xmlText.ToDelta()), ["attrs"] = Sorted(xmlText.GetAttributes()) },
        YXmlElement element => new JsonObject
        {
            ["$xmlElement"] = element.NodeName,
            ["attrs"] = Sorted(element.GetAttributes()),
            ["children"] = new JsonArray(element.ToArray().Select(c => (JsonNode?)OfType((AbstractType)c!)).ToArray()),
        },
        YXmlFragment fragment => new JsonObject
        {
            ["$xmlFragment"] = new JsonArray(fragment.ToArray().Select(c => (JsonNode?)OfType((AbstractType)c!)).ToArray()),
        },
        YText text => new JsonObject { ["$text"] = Delta(text.ToDelta()) },
        YMap map => new JsonObject { ["$map"] = MapEntries(map) },
        YArray array => new JsonObject { ["$array"] = new JsonArray(array.ToArray().Select(Wire.ToWire).ToArray()) },
        _ => new JsonObject { ["$abstract"] = true },
    };

    public static JsonObject OfSubdoc(Doc doc)
    {
        // The options that travel with a subdocument are those of its ContentDoc.
        var opts = doc.Item?.Content is ContentDoc content ? Wire.ToWire(content.Opts) : new JsonObject();
        return new JsonObject { ["$doc"] = new JsonObject { ["guid"] = doc.Guid, ["opts"] = opts } };
    }

    private static JsonObject MapEntries(YMap map)
    {
        var entries = new Dictionary<string, object?>();
        foreach (var key in map.Keys)
        {
            entries[key] = map.Get(key);
        }

        return Sorted(entries);
    }

    private static JsonObject Sorted(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            obj[k] = Wire.ToWire(v);
        }

        return obj;
    }

    private static JsonArray Delta(IEnumerable<DeltaOp> delta)
    {
        var ops = new JsonArray();
        foreach (var op in delta)
        {
            var o = new JsonObject();
            switch (op.Insert)
            {
                case null:
                    break;
                case string s:
                    o["insert"] = s;
                    break;
                case AbstractType t:
                    o["insert"] = OfType(t);
                    break;
                default:
                    o["insert"] = new JsonObject { ["$embed"] = Wire.ToWire(op.Insert) };
                    break;
            }

            if (op.Retain is int retain)
            {
                o["retain"] = retain;
            }

            if (op.Delete is int delete)
            {
                o["delete"] = delete;
            }

            if (op.Attributes is not null)
            {
                o["attributes"] = Sorted(op.Attributes);
            }

            ops.Add(o);
        }

        return ops;
    }
}
