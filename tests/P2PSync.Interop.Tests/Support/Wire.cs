using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Interop.Tests.Support;

/// <summary>
/// The C# half of tests/oracle/values.mjs: turns wire JSON into the values our CRDT takes
/// (lib0 "any" values, new shared types, subdocuments) and our values back into wire JSON.
/// Both halves must agree exactly, because the same script is fed to both libraries.
/// </summary>
internal static class Wire
{
    /// <summary>
    /// The numbers JSON cannot carry, with their "$num" spelling. One table serves both
    /// directions so that reading and writing cannot drift apart; each entry has a predicate
    /// because NaN never equals itself and -0 equals 0.
    /// </summary>
    private static readonly (string Spelling, double Value, Func<double, bool> Is)[] SpecialNumbers =
    [
        ("NaN", double.NaN, double.IsNaN),
        ("Infinity", double.PositiveInfinity, double.IsPositiveInfinity),
        ("-Infinity", double.NegativeInfinity, double.IsNegativeInfinity),
        ("-0", -0.0, d => d == 0 && double.IsNegative(d)),
    ];

    /// <summary>The C# value an op argument denotes (see the escape list in values.mjs).</summary>
    public static object? FromWire(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonArray array:
                return array.Select(FromWire).ToList();
            case JsonObject obj:
                var first = obj.FirstOrDefault();
                if (obj.Count > 0 && first.Key.StartsWith('$'))
                {
                    return FromEscape(first.Key, first.Value, obj);
                }

                var dict = new Dictionary<string, object?>();
                foreach (var (k, v) in obj)
                {
                    dict[k] = FromWire(v);
                }

                return dict;
            case JsonValue value:
                return FromScalar(value);
            default:
                throw new ArgumentException($"unexpected JSON node {node}");
        }
    }

    /// <summary>Wire attributes as the dictionary our text API takes.</summary>
    public static Dictionary<string, object?>? AttributesFromWire(JsonNode? node) =>
        node is null ? null : (Dictionary<string, object?>)FromWire(node)!;

    private static object? FromScalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                // The JSON text decides, exactly as JSON.parse does on the other side: an integral
                // literal that fits becomes long, anything else double (values compare equal either way).
                var raw = value.ToJsonString();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                throw new ArgumentException($"unexpected JSON value {value}");
        }
    }

    private static object? FromEscape(string key, JsonNode? value, JsonObject whole)
    {
        switch (key)
        {
            case "$undefined":
                return Undefined.Value;
            case "$bin":
                return Convert.FromBase64String(value!.GetValue<string>());
            case "$bigint":
                return BigInteger.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture);
            case "$num":
                var spelling = value!.GetValue<string>();
                foreach (var special in SpecialNumbers)
                {
                    if (special.Spelling == spelling)
                    {
                        return special.Value;
                    }
                }

                throw new ArgumentException($"unknown $num {spelling}");
            case "$type":
                return NewType(value!.GetValue<string>(), whole);
            case "$doc":
                return NewSubdoc(value!.AsObject());
            default:
                throw new ArgumentException($"unknown escape {key}");
        }
    }

    private static AbstractType NewType(string kind, JsonObject spec) => kind switch
    {
        "map" => new YMap(),
        "array" => new YArray(),
        "text" => new YText(),
        "xmlFragment" => new YXmlFragment(),
        "xmlText" => new YXmlText(),
        "xmlElement" => new YXmlElement(spec["name"]!.GetValue<string>()),
        "xmlHook" => new YXmlHook(spec["hookName"]!.GetValue<string>()),
        _ => throw new ArgumentException($"unknown $type {kind}"),
    };

    private static Doc NewSubdoc(JsonObject spec)
    {
        var opts = spec["opts"] as JsonObject ?? new JsonObject();
        return new Doc(new DocOptions
        {
            Guid = spec["guid"]!.GetValue<string>(),
            Gc = opts["gc"]?.GetValue<bool>() ?? true,
            AutoLoad = opts["autoLoad"]?.GetValue<bool>() ?? false,
            Meta = opts["meta"] is JsonNode meta ? FromWire(meta) : null,
        });
    }

    /// <summary>Wire JSON for a value read from our document; shared types become deep views.</summary>
    public static JsonNode? ToWire(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case Undefined:
                return new JsonObject { ["$undefined"] = true };
            case bool b:
                return JsonValue.Create(b);
            case string s:
                return JsonValue.Create(s);
            case long l:
                return JsonValue.Create(l);
            case int i:
                return JsonValue.Create(i);
            case uint u:
                return JsonValue.Create(u);
            case short sh:
                return JsonValue.Create(sh);
            case byte by:
                return JsonValue.Create(by);
            case ulong ul:
                return JsonValue.Create(ul);
            case float f:
                return DoubleToWire(f);
            case double d:
                return DoubleToWire(d);
            case BigInteger big:
                return new JsonObject { ["$bigint"] = big.ToString(CultureInfo.InvariantCulture) };
            case byte[] bytes:
                return new JsonObject { ["$bin"] = Convert.ToBase64String(bytes) };
            case AbstractType type:
                return DeepView.OfType(type);
            case Doc doc:
                return DeepView.OfSubdoc(doc);
            case IReadOnlyDictionary<string, object?> dict:
                var obj = new JsonObject();
                foreach (var (k, v) in dict)
                {
                    obj[k] = ToWire(v);
                }

                return obj;
            case IEnumerable<object?> list:
                return new JsonArray(list.Select(ToWire).ToArray());
            default:
                throw new ArgumentException($"value of type {value.GetType()} has no wire form");
        }
    }

    private static JsonNode DoubleToWire(double d)
    {
        foreach (var special in SpecialNumbers)
        {
            if (special.Is(d))
            {
                return new JsonObject { ["$num"] = special.Spelling };
            }
        }

        return JsonValue.Create(d);
    }
}
