using P2PSync.Interop.Tests.Differential;
using P2PSync.Interop.Tests.GoldenTests;

namespace P2PSync.Interop.Tests.Mutation;

/// <summary>Real updates to corrupt: the golden files and the updates of a few generated scenarios.</summary>
internal sealed class UpdateCorpus
{
    private UpdateCorpus()
    {
    }

    /// <summary>(name, bytes) of v1 updates.</summary>
    public List<(string Name, byte[] Bytes)> V1 { get; } = new();

    /// <summary>(name, bytes) of v2 updates.</summary>
    public List<(string Name, byte[] Bytes)> V2 { get; } = new();

    /// <summary>Full states (v1) to build the non-empty documents the corrupt updates are applied to.</summary>
    public List<(string Name, byte[] Bytes)> Bases { get; } = new();

    public static UpdateCorpus Build(int scenarioCount)
    {
        var corpus = new UpdateCorpus();
        foreach (var name in GoldenCase.Names())
        {
            var golden = GoldenCase.Load(name);
            corpus.V1.Add(($"golden {name}.v1", golden.V1));
            corpus.V2.Add(($"golden {name}.v2", golden.V2));
            corpus.Bases.Add(($"golden {name}.v1", golden.V1));
        }

        for (var seed = 1; seed <= scenarioCount; seed++)
        {
            var scenario = ScenarioGenerator.Generate(100_000 + seed);
            foreach (var u in scenario.Ours["updates"]!.AsArray())
            {
                var step = u!["step"]!.GetValue<int>();
                if (u["v1"] is not null)
                {
                    corpus.V1.Add(($"scenario {100_000 + seed} tx step {step} v1", Convert.FromBase64String(u["v1"]!.GetValue<string>())));
                }

                if (u["v2"] is not null)
                {
                    corpus.V2.Add(($"scenario {100_000 + seed} tx step {step} v2", Convert.FromBase64String(u["v2"]!.GetValue<string>())));
                }
            }

            var docs = scenario.Ours["docs"]!.AsArray();
            for (var i = 0; i < docs.Count; i++)
            {
                var full1 = Convert.FromBase64String(docs[i]!["v1"]!.GetValue<string>());
                var full2 = Convert.FromBase64String(docs[i]!["v2"]!.GetValue<string>());
                corpus.V1.Add(($"scenario {100_000 + seed} replica {i} full v1", full1));
                corpus.V2.Add(($"scenario {100_000 + seed} replica {i} full v2", full2));
                corpus.Bases.Add(($"scenario {100_000 + seed} replica {i}", full1));
            }
        }

        return corpus;
    }
}
