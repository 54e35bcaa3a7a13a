using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>Builds op scripts (the JSON format of tests/oracle/README.md) in a readable way.</summary>
internal sealed class ScriptBuilder
{
    private readonly JsonObject roots = new();
    private readonly JsonArray docs = new();
    private readonly JsonArray steps = new();
    private readonly JsonArray targets = new();

    public int StepCount => steps.Count;

    public ScriptBuilder Root(string name, string kind)
    {
        roots[name] = kind;
        return this;
    }

    public ScriptBuilder Doc(ulong clientId, bool gc = true)
    {
        docs.Add(new JsonObject { ["clientId"] = clientId, ["gc"] = gc });
        return this;
    }

    /// <summary>One transaction on <paramref name="doc"/>; returns its step index through <paramref name="step"/>.</summary>
    public ScriptBuilder Tx(int doc, out int step, params JsonObject[] ops)
    {
        step = steps.Count;
        steps.Add(new JsonObject { ["tx"] = doc, ["ops"] = new JsonArray(ops.Select(o => (JsonNode?)o).ToArray()) });
        return this;
    }

    public ScriptBuilder Tx(int doc, params JsonObject[] ops) => Tx(doc, out _, ops);

    /// <summary>Applies the updates of the given transaction steps to <paramref name="doc"/>.</summary>
    public ScriptBuilder Apply(int doc, int[] updates, bool v2 = false, bool merge = false, bool diff = false, bool convert = false)
    {
        steps.Add(new JsonObject
        {
            ["apply"] = doc,
            ["updates"] = new JsonArray(updates.Select(u => (JsonNode?)u).ToArray()),
            ["v2"] = v2,
            ["merge"] = merge,
            ["diff"] = diff,
            ["convert"] = convert,
        });
        return this;
    }

    /// <summary>Sends <paramref name="from"/>'s state that <paramref name="to"/> misses (state vector exchange).</summary>
    public ScriptBuilder Sync(int to, int from, bool v2 = false)
    {
        steps.Add(new JsonObject { ["sync"] = to, ["from"] = from, ["v2"] = v2 });
        return this;
    }

    /// <summary>Syncs every document with every other one, twice, so pending structs settle.</summary>
    public ScriptBuilder SyncAll(bool v2 = false)
    {
        for (var round = 0; round < 2; round++)
        {
            for (var a = 0; a < docs.Count; a++)
            {
                for (var b = 0; b < docs.Count; b++)
                {
                    if (a != b)
                    {
                        Sync(a, b, v2);
                    }
                }
            }
        }

        return this;
    }

    /// <summary>Also compare encodeStateAsUpdate(doc, sv) for the given state vector.</summary>
    public ScriptBuilder Target(int doc, IReadOnlyDictionary<ulong, int> sv)
    {
        var o = new JsonObject();
        foreach (var (client, clock) in sv)
        {
            o[client.ToString(System.Globalization.CultureInfo.InvariantCulture)] = clock;
        }

        targets.Add(new JsonObject { ["doc"] = doc, ["sv"] = o });
        return this;
    }

    /// <summary>Also compare encodeStateAsUpdate(a, sv(b)) for every ordered pair of documents.</summary>
    public ScriptBuilder TargetsAllPairs()
    {
        for (var a = 0; a < docs.Count; a++)
        {
            for (var b = 0; b < docs.Count; b++)
            {
                if (a != b)
                {
                    targets.Add(new JsonObject { ["doc"] = a, ["svOf"] = b });
                }
            }
        }

        return this;
    }

    /// <summary>The script; parsed back from its text so both runners see exactly the same JSON.</summary>
    public JsonObject Build(bool trace = false) => JsonNode.Parse(new JsonObject
    {
        ["roots"] = roots.DeepClone(),
        ["docs"] = docs.DeepClone(),
        ["steps"] = steps.DeepClone(),
        ["targets"] = targets.DeepClone(),
        ["trace"] = trace,
    }.ToJsonString())!.AsObject();

    /// <summary>Appends an already built step (used by the scenario generator).</summary>
    public ScriptBuilder Step(JsonObject step)
    {
        steps.Add(step.DeepClone());
        return this;
    }
}
