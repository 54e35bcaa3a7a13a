using System.Text.Json.Nodes;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Interop.Tests.Support;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>
/// The C# half of tests/oracle/scripts.mjs: runs an op script on our CRDT step by step and
/// describes the outcome in the same JSON shape as the JS runner, so the two can be compared
/// member by member (see <see cref="ScriptComparison"/>).
/// </summary>
internal sealed class ScriptRunner
{
    private readonly Dictionary<string, string> roots = new();
    private readonly List<KeyValuePair<string, string>> rootOrder = new();
    private readonly List<Doc> docs = new();
    private readonly Dictionary<int, (byte[]? V1, byte[]? V2)> txUpdates = new();
    private readonly JsonArray updatesOut = new();
    private readonly JsonArray trace = new();
    private readonly bool tracing;
    private int nextStep;

    public ScriptRunner(JsonObject script)
    {
        if (script["roots"] is JsonObject r)
        {
            foreach (var (name, kind) in r)
            {
                roots[name] = kind!.GetValue<string>();
                rootOrder.Add(new(name, kind.GetValue<string>()));
            }
        }

        tracing = script["trace"]?.GetValue<bool>() == true;
        foreach (var d in script["docs"]!.AsArray())
        {
            var doc = new Doc(new DocOptions
            {
                ClientId = d!["clientId"]!.GetValue<ulong>(),
                Gc = d["gc"]?.GetValue<bool>() != false,
            });
            foreach (var (name, kind) in rootOrder)
            {
                Roots.Get(doc, name, kind);
            }

            docs.Add(doc);
        }
    }

    /// <summary>The first step that threw, with its message; once set, later steps are not run.</summary>
    public JsonObject? Error { get; private set; }

    public IReadOnlyList<Doc> Docs => docs;

    public IReadOnlyDictionary<string, string> RootKinds => roots;

    /// <summary>Runs every step of the script, then describes the result.</summary>
    public static JsonObject Run(JsonObject script)
    {
        var runner = new ScriptRunner(script);
        foreach (var step in script["steps"]!.AsArray())
        {
            runner.Execute(step!.AsObject());
        }

        return runner.Result(script["targets"] as JsonArray);
    }

    /// <summary>Runs the next step (its index is the number of steps run before).</summary>
    public void Execute(JsonObject step)
    {
        var index = nextStep++;
        if (Error is not null)
        {
            return;
        }

        int touched;
        try
        {
            touched = ExecuteStep(index, step);
        }
        catch (Exception e)
        {
            Error = new JsonObject { ["step"] = index, ["message"] = e.ToString() };
            return;
        }

        if (tracing)
        {
            var summary = Summarize(docs[touched]);
            summary["step"] = index;
            summary["doc"] = touched;
            trace.Add(summary);
        }
    }

    /// <summary>The update a transaction step produced, in v1 and v2 (null where it produced none).</summary>
    public (byte[]? V1, byte[]? V2) UpdateOf(int step) => txUpdates[step];

    private int ExecuteStep(int index, JsonObject step)
    {
        if (step["tx"] is JsonNode tx)
        {
            var d = tx.GetValue<int>();
            RunTransaction(index, docs[d], step["ops"]!.AsArray());
            return d;
        }

        if (step["apply"] is JsonNode apply)
        {
            var d = apply.GetValue<int>();
            RunApply(docs[d], step);
            return d;
        }

        if (step["sync"] is JsonNode sync)
        {
            var d = sync.GetValue<int>();
            var from = docs[step["from"]!.GetValue<int>()];
            var to = docs[d];
            var sv = Y.EncodeStateVector(to);
            if (step["v2"]?.GetValue<bool>() == true)
            {
                Y.ApplyUpdateV2(to, Y.EncodeStateAsUpdateV2(from, sv), "sync");
            }
            else
            {
                Y.ApplyUpdate(to, Y.EncodeStateAsUpdate(from, sv), "sync");
            }

            return d;
        }

        throw new ArgumentException($"unknown step {step.ToJsonString()}");
    }

    private void RunTransaction(int index, Doc doc, JsonArray ops)
    {
        byte[]? v1 = null;
        byte[]? v2 = null;
        EventHandler<UpdateEventArgs> onV1 = (_, e) => v1 = e.Update;
        EventHandler<UpdateEventArgs> onV2 = (_, e) => v2 = e.Update;
        doc.Update += onV1;
        doc.UpdateV2 += onV2;
        try
        {
            doc.Transact(
                _ =>
                {
                    foreach (var op in ops)
                    {
                        OpInterpreter.Apply(doc, roots, op!.AsObject());
                    }
                },
                origin: "local");
        }
        finally
        {
            doc.Update -= onV1;
            doc.UpdateV2 -= onV2;
        }

        txUpdates[index] = (v1, v2);
        updatesOut.Add(new JsonObject
        {
            ["step"] = index,
            ["v1"] = v1 is null ? null : Convert.ToBase64String(v1),
            ["v2"] = v2 is null ? null : Convert.ToBase64String(v2),
        });
    }

    private void RunApply(Doc target, JsonObject step)
    {
        var v2 = step["v2"]?.GetValue<bool>() == true;
        var updates = new List<byte[]>();
        foreach (var id in step["updates"]!.AsArray())
        {
            if (!txUpdates.TryGetValue(id!.GetValue<int>(), out var u))
            {
                throw new ArgumentException($"step {id} is not a transaction step");
            }

            var bytes = v2 ? u.V2 : u.V1;
            if (bytes is not null)
            {
                updates.Add(bytes);
            }
        }

        if (updates.Count == 0)
        {
            return;
        }

        if (step["merge"]?.GetValue<bool>() == true)
        {
            updates = [v2 ? Y.MergeUpdatesV2(updates) : Y.MergeUpdates(updates)];
        }

        foreach (var original in updates)
        {
            var u = original;
            if (step["diff"]?.GetValue<bool>() == true)
            {
                var sv = Y.EncodeStateVector(target);
                u = v2 ? Y.DiffUpdateV2(u, sv) : Y.DiffUpdate(u, sv);
            }

            if (step["convert"]?.GetValue<bool>() == true)
            {
                var other = v2 ? Y.ConvertUpdateFormatV2ToV1(u) : Y.ConvertUpdateFormatV1ToV2(u);
                u = v2 ? Y.ConvertUpdateFormatV1ToV2(other) : Y.ConvertUpdateFormatV2ToV1(other);
            }

            if (v2)
            {
                Y.ApplyUpdateV2(target, u, "remote");
            }
            else
            {
                Y.ApplyUpdate(target, u, "remote");
            }
        }
    }

    /// <summary>State vector, full-state encodings, toJSON text and deep view of one document.</summary>
    public JsonObject Summarize(Doc doc) => new()
    {
        ["sv"] = Convert.ToBase64String(Y.EncodeStateVector(doc)),
        ["json"] = Roots.JsonText(doc, rootOrder),
        ["deep"] = DeepView.OfDoc(doc, roots),
        ["v1"] = Convert.ToBase64String(Y.EncodeStateAsUpdate(doc)),
        ["v2"] = Convert.ToBase64String(Y.EncodeStateAsUpdateV2(doc)),
    };

    /// <summary>The outcome in the shape runScript in scripts.mjs returns.</summary>
    public JsonObject Result(JsonArray? targets)
    {
        var targetsOut = new JsonArray();
        foreach (var t in targets ?? [])
        {
            var doc = docs[t!["doc"]!.GetValue<int>()];
            var sv = t["sv"] is JsonObject svJson ? EncodeSv(svJson) : Y.EncodeStateVector(docs[t["svOf"]!.GetValue<int>()]);
            targetsOut.Add(new JsonObject
            {
                ["v1"] = Convert.ToBase64String(Y.EncodeStateAsUpdate(doc, sv)),
                ["v2"] = Convert.ToBase64String(Y.EncodeStateAsUpdateV2(doc, sv)),
            });
        }

        var result = new JsonObject
        {
            ["error"] = Error?.DeepClone(),
            ["docs"] = new JsonArray(docs.Select(d => (JsonNode?)Summarize(d)).ToArray()),
            ["updates"] = updatesOut.DeepClone(),
            ["targets"] = targetsOut,
        };
        if (tracing)
        {
            result["trace"] = trace.DeepClone();
        }

        return result;
    }

    private static byte[] EncodeSv(JsonObject sv)
    {
        var dict = new Dictionary<ulong, int>();
        foreach (var (client, clock) in sv)
        {
            dict[ulong.Parse(client, System.Globalization.CultureInfo.InvariantCulture)] = clock!.GetValue<int>();
        }

        return Y.EncodeStateVector(dict);
    }
}
