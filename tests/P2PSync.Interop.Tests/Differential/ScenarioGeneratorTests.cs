using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Differential;

/// <summary>
/// The differential test is only as good as the scenarios: these check that the generator is
/// deterministic and that a modest number of seeds already exercises every op and delivery kind.
/// </summary>
public sealed class ScenarioGeneratorTests
{
    [Fact]
    public void SameSeedGivesTheSameScript()
    {
        var a = ScenarioGenerator.Generate(4711);
        var b = ScenarioGenerator.Generate(4711);
        Assert.Equal(a.Script.ToJsonString(), b.Script.ToJsonString());
        Assert.Equal(a.Ours.ToJsonString(), b.Ours.ToJsonString());
        Assert.NotEqual(a.Script.ToJsonString(), ScenarioGenerator.Generate(4712).Script.ToJsonString());
    }

    [Fact]
    public void FiftySeedsCoverEveryOpAndDeliveryKind()
    {
        var seen = new HashSet<string>();
        var replicaCounts = new HashSet<int>();
        for (var seed = 1; seed <= 50; seed++)
        {
            var script = ScenarioGenerator.Generate(seed).Script;
            replicaCounts.Add(script["docs"]!.AsArray().Count);
            foreach (var step in script["steps"]!.AsArray().Select(s => s!.AsObject()))
            {
                if (step["tx"] is not null)
                {
                    seen.Add(step["ops"]!.AsArray().Count > 1 ? "tx:multi-op" : "tx:single-op");
                    foreach (var op in step["ops"]!.AsArray())
                    {
                        seen.Add($"op:{op!["op"]}");
                        seen.Add(op["path"]!.AsArray().Count > 1 ? "target:nested" : $"target:root-{op["path"]![0]}");
                        CollectValueKinds(op, seen);
                    }
                }
                else if (step["apply"] is not null)
                {
                    seen.Add("apply");
                    foreach (var flag in new[] { "v2", "merge", "diff", "convert" })
                    {
                        if (step[flag]!.GetValue<bool>())
                        {
                            seen.Add($"apply:{flag}");
                        }
                    }

                    var ids = step["updates"]!.AsArray().Select(u => u!.GetValue<int>()).ToList();
                    if (ids.Count != ids.Distinct().Count())
                    {
                        seen.Add("apply:duplicate");
                    }
                }
                else
                {
                    seen.Add(step["v2"]!.GetValue<bool>() ? "sync:v2" : "sync:v1");
                }
            }
        }

        var expected = new[]
        {
            "tx:multi-op", "tx:single-op", "op:insert", "op:delete", "op:format", "op:insertEmbed", "op:applyDelta", "op:push",
            "op:set", "op:setAttribute", "op:removeAttribute", "target:nested", "target:root-t", "target:root-a", "target:root-m",
            "target:root-x", "apply", "apply:v2", "apply:merge", "apply:diff", "apply:convert", "apply:duplicate", "sync:v1", "sync:v2",
            "value:$type", "value:$bin", "value:$undefined", "value:$bigint", "value:$doc", "value:object", "value:array", "value:float",
        };
        Assert.Empty(expected.Except(seen));
        Assert.Equal(new[] { 3, 4, 5 }, replicaCounts.Order());
    }

    private static void CollectValueKinds(JsonNode? node, HashSet<string> seen)
    {
        switch (node)
        {
            case JsonObject o:
                var first = o.FirstOrDefault().Key;
                if (first is not null && first.StartsWith('$'))
                {
                    seen.Add($"value:{first}");
                }
                else if (o["path"] is null)
                {
                    seen.Add("value:object");
                }

                foreach (var (_, v) in o)
                {
                    CollectValueKinds(v, seen);
                }

                break;
            case JsonArray a:
                // an array inside a list of values (or inside another value) is an array value
                if (a.Parent is JsonArray)
                {
                    seen.Add("value:array");
                }

                foreach (var v in a)
                {
                    CollectValueKinds(v, seen);
                }

                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.ToJsonString().Contains('.'):
                seen.Add("value:float");
                break;
        }
    }
}
