using System.Globalization;
using System.Text.Json.Nodes;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using P2PSync.Interop.Tests.Scripts;

namespace P2PSync.Interop.Tests.Differential;

/// <summary>
/// Generates a random but fully concrete op script from a seed: 3 to 5 replicas with client ids
/// drawn from the seed, text/array/map/XML/nested edits, deliveries of transaction updates in
/// random order (with duplicates, merged batches, diffs, v1/v2 and format conversions) and state
/// vector syncs, ending with a full sync. Ops are chosen from the current state of OUR replica
/// (executed step by step while generating), so every index is valid there; yjs then replays the
/// identical script. Same seed, same script.
/// </summary>
internal sealed class ScenarioGenerator
{
    private static readonly (string Name, string Kind)[] RootSet = [("t", "text"), ("a", "array"), ("m", "map"), ("x", "xmlFragment")];
    private static readonly string[] MapKeys = ["k0", "k1", "k2", "k3", "k4", "key", "x"];
    private static readonly string[] ObjectKeys = ["a", "b", "c", "long key", "ü"];
    private static readonly string[] ElementNames = ["p", "div", "span", "h1"];
    private static readonly string[] AttributeNames = ["class", "id", "data-x"];

    private readonly Random rng;
    private readonly ScriptBuilder builder = new();
    private readonly ScriptRunner runner;
    private readonly List<int> txSteps = new();
    private readonly int replicas;
    private int subdocCounter;

    private ScenarioGenerator(int seed)
    {
        rng = new Random(seed);
        foreach (var (name, kind) in RootSet)
        {
            builder.Root(name, kind);
        }

        replicas = rng.Next(3, 6);
        var ids = new HashSet<ulong>();
        while (ids.Count < replicas)
        {
            // Mostly yjs-like 32-bit ids; sometimes ids that need more than 32 bits on the wire.
            var id = rng.Next(10) == 0 ? (ulong)rng.NextInt64(1L << 32, 1L << 53) : (ulong)rng.NextInt64(0, 1L << 32);
            if (ids.Add(id))
            {
                builder.Doc(id, gc: rng.Next(4) != 0);
            }
        }

        runner = new ScriptRunner(builder.Build());
    }

    /// <summary>The scenario for <paramref name="seed"/>; with <paramref name="trace"/> both runners record every step.</summary>
    public static Scenario Generate(int seed, bool trace = false)
    {
        var g = new ScenarioGenerator(seed);
        var steps = g.rng.Next(20, 70);
        for (var i = 0; i < steps && g.runner.Error is null; i++)
        {
            g.AddRandomStep();
        }

        g.AddFinalSync();
        g.AddRandomTargets();
        var script = g.builder.Build(trace);
        // Our result comes from a clean run of the finished script so that tracing (if asked for)
        // covers every step, exactly like the JS side.
        var ours = ScriptRunner.Run(script);
        return new Scenario(seed, script, ours);
    }

    private void Add(JsonObject step)
    {
        // Round-trip through text so that the live run sees exactly what both runners will parse.
        var parsed = JsonNode.Parse(step.ToJsonString())!.AsObject();
        if (parsed["tx"] is not null)
        {
            txSteps.Add(builder.StepCount);
        }

        builder.Step(parsed);
        runner.Execute(parsed);
    }

    private void AddRandomStep()
    {
        var roll = rng.Next(100);
        if (roll < 4)
        {
            AddTypingBurst();
        }
        else if (txSteps.Count == 0 || roll < 50)
        {
            var r = rng.Next(replicas);
            var ops = new JsonArray();
            var count = rng.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                ops.Add(RandomOp(runner.Docs[r], ops));
            }

            Add(new JsonObject { ["tx"] = r, ["ops"] = ops });
        }
        else if (roll < 82)
        {
            var n = rng.Next(1, 5);
            var ids = new JsonArray();
            for (var i = 0; i < n; i++)
            {
                // biased towards recent updates, duplicates allowed
                var k = txSteps.Count - 1 - Math.Min(txSteps.Count - 1, (int)Math.Floor(Math.Pow(rng.NextDouble(), 2) * txSteps.Count));
                ids.Add(txSteps[k]);
            }

            Add(new JsonObject
            {
                ["apply"] = rng.Next(replicas),
                ["updates"] = ids,
                ["v2"] = rng.Next(2) == 0,
                ["merge"] = n > 1 && rng.Next(3) == 0,
                ["diff"] = rng.Next(5) == 0,
                ["convert"] = rng.Next(6) == 0,
            });
        }
        else
        {
            var to = rng.Next(replicas);
            var from = (to + rng.Next(1, replicas)) % replicas;
            Add(new JsonObject { ["sync"] = to, ["from"] = from, ["v2"] = rng.Next(2) == 0 });
        }
    }

    /// <summary>Consecutive one-character transactions at a moving cursor, like a user typing (and sometimes deleting).</summary>
    private void AddTypingBurst()
    {
        var r = rng.Next(replicas);
        var text = (YText)Root(runner.Docs[r], "t");
        var cursor = rng.Next(text.Length + 1);
        for (var n = rng.Next(5, 25); n > 0 && runner.Error is null; n--)
        {
            var backspace = cursor > 0 && rng.Next(6) == 0;
            var op = backspace
                ? new JsonObject { ["op"] = "delete", ["index"] = cursor - 1, ["length"] = 1, ["path"] = new JsonArray("t") }
                : new JsonObject { ["op"] = "insert", ["index"] = cursor, ["text"] = ((char)('a' + rng.Next(26))).ToString(), ["path"] = new JsonArray("t") };
            cursor += backspace ? -1 : 1;
            Add(new JsonObject { ["tx"] = r, ["ops"] = new JsonArray(op) });
        }
    }

    /// <summary>
    /// State vectors that cut each client's range at a random clock (often inside an item, sometimes
    /// inside a surrogate pair), to compare encodeStateAsUpdate(doc, sv) at arbitrary cut points.
    /// </summary>
    private void AddRandomTargets()
    {
        if (runner.Error is not null)
        {
            return;
        }

        for (var n = 0; n < 3; n++)
        {
            var doc = rng.Next(replicas);
            var full = P2PSync.Crdt.Y.DecodeStateVector(P2PSync.Crdt.Y.EncodeStateVector(runner.Docs[doc]));
            var cut = new Dictionary<ulong, int>();
            foreach (var (client, clock) in full.OrderBy(kv => kv.Key))
            {
                if (rng.Next(4) != 0)
                {
                    cut[client] = rng.Next(clock + 1);
                }
            }

            builder.Target(doc, cut);
        }
    }

    private void AddFinalSync()
    {
        for (var round = 0; round < 2; round++)
        {
            for (var to = 0; to < replicas; to++)
            {
                for (var from = 0; from < replicas; from++)
                {
                    if (to != from)
                    {
                        Add(new JsonObject { ["sync"] = to, ["from"] = from, ["v2"] = rng.Next(2) == 0 });
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ ops

    private JsonObject RandomOp(Doc doc, JsonArray pendingOps)
    {
        // The ops of one transaction are all chosen from the state before it. An op only keeps
        // the indexes of the type it edits (and of that type's descendants) stale, so later ops
        // of the same transaction stay away from those.
        var touched = pendingOps.Select(o => o!["path"]!.AsArray()).ToList();
        var targets = Reachable(doc).Where(t => !touched.Any(p => IsPrefix(p, t.Path))).ToList();
        if (targets.Count == 0)
        {
            // a map set is valid whatever happened before it in the transaction
            targets = [(Root(doc, "m"), new JsonArray("m"))];
        }

        var (type, path) = targets[rng.Next(targets.Count)];
        var op = type switch
        {
            YText text => TextOp(text),
            YMap map => MapOp(map),
            YXmlElement element when rng.Next(4) == 0 => AttributeOp(element),
            YXmlFragment fragment => XmlListOp(fragment),
            YArray array => ArrayOp(array),
            _ => throw new InvalidOperationException($"unexpected type {type.GetType()}"),
        };
        op["path"] = path.DeepClone();
        return op;
    }

    private static bool IsPrefix(JsonArray prefix, JsonArray path)
    {
        if (prefix.Count > path.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (prefix[i]!.ToJsonString() != path[i]!.ToJsonString())
            {
                return false;
            }
        }

        return true;
    }

    private static AbstractType Root(Doc doc, string name) =>
        Support.Roots.Get(doc, name, RootSet.First(r => r.Name == name).Kind);

    private List<(AbstractType Type, JsonArray Path)> Reachable(Doc doc)
    {
        var result = new List<(AbstractType, JsonArray)>();
        foreach (var (name, _) in RootSet)
        {
            Walk(Root(doc, name), new JsonArray(name), 0, result);
        }

        return result;
    }

    private static void Walk(AbstractType type, JsonArray path, int depth, List<(AbstractType, JsonArray)> into)
    {
        into.Add((type, path));
        if (depth >= 4 || into.Count > 80)
        {
            return;
        }

        switch (type)
        {
            case YMap map:
                foreach (var key in map.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    if (map.Get(key) is AbstractType child)
                    {
                        Walk(child, Append(path, key), depth + 1, into);
                    }
                }

                break;
            case YArray array:
                var items = array.ToArray();
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is AbstractType child)
                    {
                        Walk(child, Append(path, i), depth + 1, into);
                    }
                }

                break;
            case YXmlFragment fragment:
                var children = fragment.ToArray();
                for (var i = 0; i < children.Count; i++)
                {
                    Walk((AbstractType)children[i]!, Append(path, i), depth + 1, into);
                }

                break;
        }
    }

    private static JsonArray Append(JsonArray path, object segment)
    {
        var p = (JsonArray)path.DeepClone();
        p.Add(segment is string s ? JsonValue.Create(s) : JsonValue.Create((int)segment));
        return p;
    }

    private JsonObject TextOp(YText text)
    {
        var len = text.Length;
        var roll = rng.Next(100);
        if (len == 0 || roll < 50)
        {
            var o = new JsonObject { ["op"] = "insert", ["index"] = rng.Next(len + 1), ["text"] = RandomText() };
            if (rng.Next(4) == 0)
            {
                o["attrs"] = RandomFormat();
            }

            return o;
        }

        if (roll < 75)
        {
            var index = rng.Next(len);
            var max = rng.Next(8) == 0 ? 40 : 6;
            return new JsonObject { ["op"] = "delete", ["index"] = index, ["length"] = rng.Next(1, Math.Min(len - index, max) + 1) };
        }

        if (roll < 88)
        {
            var index = rng.Next(len);
            return new JsonObject { ["op"] = "format", ["index"] = index, ["length"] = rng.Next(1, Math.Min(len - index, 8) + 1), ["attrs"] = RandomFormat() };
        }

        if (roll < 94)
        {
            var o = new JsonObject { ["op"] = "insertEmbed", ["index"] = rng.Next(len + 1), ["embed"] = new JsonObject { ["image"] = RandomText() } };
            if (rng.Next(3) == 0)
            {
                o["attrs"] = RandomFormat();
            }

            return o;
        }

        // applyDelta: retain (maybe formatting), then insert or delete within bounds
        var retain = rng.Next(len + 1);
        var delta = new JsonArray();
        if (retain > 0)
        {
            var r = new JsonObject { ["retain"] = retain };
            if (rng.Next(2) == 0)
            {
                r["attributes"] = RandomFormat();
            }

            delta.Add(r);
        }

        if (retain < len && rng.Next(2) == 0)
        {
            delta.Add(new JsonObject { ["delete"] = rng.Next(1, Math.Min(len - retain, 4) + 1) });
        }
        else
        {
            delta.Add(new JsonObject { ["insert"] = RandomText() });
        }

        return new JsonObject { ["op"] = "applyDelta", ["delta"] = delta };
    }

    private JsonObject ArrayOp(YArray array)
    {
        var len = array.Length;
        var roll = rng.Next(100);
        if (len == 0 || roll < 45)
        {
            return new JsonObject { ["op"] = "insert", ["index"] = rng.Next(len + 1), ["values"] = ListValues() };
        }

        if (roll < 60)
        {
            return new JsonObject { ["op"] = "push", ["values"] = ListValues() };
        }

        var index = rng.Next(len);
        return new JsonObject { ["op"] = "delete", ["index"] = index, ["length"] = rng.Next(1, Math.Min(len - index, 4) + 1) };
    }

    private JsonObject MapOp(YMap map)
    {
        var keys = map.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (keys.Count > 0 && rng.Next(5) == 0)
        {
            return new JsonObject { ["op"] = "delete", ["key"] = keys[rng.Next(keys.Count)] };
        }

        return new JsonObject { ["op"] = "set", ["key"] = MapKeys[rng.Next(MapKeys.Length)], ["value"] = MapValue() };
    }

    private JsonObject XmlListOp(YXmlFragment fragment)
    {
        var len = fragment.Length;
        if (len > 0 && rng.Next(3) == 0)
        {
            var index = rng.Next(len);
            return new JsonObject { ["op"] = "delete", ["index"] = index, ["length"] = rng.Next(1, Math.Min(len - index, 3) + 1) };
        }

        var values = new JsonArray();
        var n = rng.Next(1, 3);
        for (var i = 0; i < n; i++)
        {
            values.Add(rng.Next(10) switch
            {
                < 5 => V.Element(ElementNames[rng.Next(ElementNames.Length)]),
                < 9 => V.Type("xmlText"),
                _ => V.Hook("hook"),
            });
        }

        return rng.Next(4) == 0
            ? new JsonObject { ["op"] = "push", ["values"] = values }
            : new JsonObject { ["op"] = "insert", ["index"] = rng.Next(len + 1), ["values"] = values };
    }

    private JsonObject AttributeOp(YXmlElement element)
    {
        var name = AttributeNames[rng.Next(AttributeNames.Length)];
        return rng.Next(4) == 0
            ? new JsonObject { ["op"] = "removeAttribute", ["name"] = name }
            : new JsonObject { ["op"] = "setAttribute", ["name"] = name, ["value"] = RandomText() };
    }

    // ------------------------------------------------------------------ values

    private JsonArray ListValues()
    {
        var values = new JsonArray();
        var n = rng.Next(15) == 0 ? rng.Next(10, 40) : rng.Next(1, 4);
        for (var i = 0; i < n; i++)
        {
            values.Add(rng.Next(100) switch
            {
                < 80 => RandomAny(0),
                < 88 => V.Of(RandomBytes()),
                _ => NewType(),
            });
        }

        return values;
    }

    private JsonNode? MapValue() => rng.Next(100) switch
    {
        < 75 => RandomAny(0),
        < 80 => V.Of(RandomBytes()),
        < 93 => NewType(),
        < 96 => new JsonObject { ["$undefined"] = true },
        < 98 => new JsonObject { ["$bigint"] = rng.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture) },
        _ => V.Subdoc($"subdoc-{subdocCounter++}-{rng.Next(1000)}", rng.Next(2) == 0 ? null : new JsonObject { ["gc"] = false, ["meta"] = "m" }),
    };

    private JsonObject NewType() => rng.Next(12) switch
    {
        < 4 => V.Type("map"),
        < 7 => V.Type("array"),
        < 10 => V.Type("text"),
        10 => V.Type("xmlFragment"),
        _ => V.Element(ElementNames[rng.Next(ElementNames.Length)]),
    };

    private JsonNode? RandomAny(int depth)
    {
        switch (rng.Next(depth < 2 ? 11 : 8))
        {
            case 0:
                return null;
            case 1:
                return rng.Next(2) == 0;
            case 2:
                return rng.Next(-100, 101);
            case 3:
                // around the varint/float boundaries of lib0's number encoding
                return V.Of(rng.Next(4) switch
                {
                    0 => (long)int.MaxValue + rng.Next(-2, 3),
                    1 => -(long)int.MaxValue + rng.Next(-2, 3),
                    2 => rng.NextInt64(-(1L << 53), 1L << 53),
                    _ => (long)rng.Next(),
                });
            case 4:
                return V.Of(Math.Round((rng.NextDouble() - 0.5) * 1e6, rng.Next(0, 8)));
            case 5:
                return V.Of(rng.Next(-64, 64) / 8.0); // exact in float32
            case 6:
            case 7:
                return RandomText();
            case 8:
                var arr = new JsonArray();
                for (var i = rng.Next(0, 4); i > 0; i--)
                {
                    arr.Add(RandomAny(depth + 1));
                }

                return arr;
            case 9:
                var obj = new JsonObject();
                for (var i = rng.Next(0, 4); i > 0; i--)
                {
                    obj[ObjectKeys[rng.Next(ObjectKeys.Length)]] = RandomAny(depth + 1);
                }

                return obj;
            default:
                return new JsonObject { ["bin"] = V.Of(RandomBytes()), ["u"] = new JsonObject { ["$undefined"] = true } };
        }
    }

    private byte[] RandomBytes()
    {
        var b = new byte[rng.Next(0, 6)];
        rng.NextBytes(b);
        return b;
    }

    private string RandomText()
    {
        var n = rng.Next(20) == 0 ? rng.Next(30, 200) : rng.Next(1, 7);
        var chars = new System.Text.StringBuilder();
        for (var i = 0; i < n; i++)
        {
            var roll = rng.Next(100);
            chars.Append(roll switch
            {
                < 85 => ((char)('a' + rng.Next(26))).ToString(),
                < 90 => " ",
                < 94 => "é",
                < 97 => "中",
                _ => "😀",
            });
        }

        return chars.ToString();
    }

    private JsonObject RandomFormat() => rng.Next(5) switch
    {
        0 => new JsonObject { ["bold"] = true },
        1 => new JsonObject { ["bold"] = null },
        2 => new JsonObject { ["italic"] = true, ["color"] = rng.Next(2) == 0 ? "#f00" : "#00f" },
        3 => new JsonObject { ["size"] = rng.Next(8, 20) },
        _ => new JsonObject { ["link"] = new JsonObject { ["href"] = RandomText() } },
    };
}
