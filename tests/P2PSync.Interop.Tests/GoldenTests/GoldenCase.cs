using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.GoldenTests;

/// <summary>One case written by tests/oracle/make-golden.mjs: NAME.v1.bin, NAME.v2.bin and NAME.json.</summary>
internal sealed class GoldenCase
{
    private GoldenCase(string name)
    {
        Name = name;
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Golden, name + ".json")))!.AsObject();
        Description = json["description"]!.GetValue<string>();
        foreach (var (root, kind) in json["roots"]!.AsObject())
        {
            Roots.Add(new(root, kind!.GetValue<string>()));
        }

        JsonText = json["jsonText"]?.GetValue<string>();
        Deep = json["deep"]!.AsObject();
        StateVector = json["sv"]!.GetValue<string>();
        V1 = File.ReadAllBytes(Path.Combine(RepoPaths.Golden, name + ".v1.bin"));
        V2 = File.ReadAllBytes(Path.Combine(RepoPaths.Golden, name + ".v2.bin"));
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>Root name and kind, in the order yjs listed them for toJSON.</summary>
    public List<KeyValuePair<string, string>> Roots { get; } = new();

    public IReadOnlyDictionary<string, string> RootKinds => Roots.ToDictionary(r => r.Key, r => r.Value);

    /// <summary>Exact JSON.stringify text of the roots' toJSON, or null where yjs cannot stringify (BigInt).</summary>
    public string? JsonText { get; }

    public JsonObject Deep { get; }

    /// <summary>Base64 of the state vector yjs reports after applying the update to a fresh doc.</summary>
    public string StateVector { get; }

    public byte[] V1 { get; }

    public byte[] V2 { get; }

    public byte[] Update(bool v2) => v2 ? V2 : V1;

    public JsonObject RootsJson()
    {
        var o = new JsonObject();
        foreach (var (name, kind) in Roots)
        {
            o[name] = kind;
        }

        return o;
    }

    public static IReadOnlyList<string> Names() =>
        Directory.GetFiles(RepoPaths.Golden, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

    public static GoldenCase Load(string name) => new(name);
}
