using System.Text.Json.Nodes;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Interop.Tests.Oracle;
using P2PSync.Interop.Tests.Scripts;
using P2PSync.Interop.Tests.Support;

namespace P2PSync.Interop.Tests.GoldenTests;

/// <summary>
/// Updates written by the real yjs (tests/oracle/make-golden.mjs) that together contain every
/// struct and content kind: we must read them to the same content, and what we write back
/// must be read by yjs to the same content and equal yjs's own re-encoding byte for byte.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class GoldenFileTests(YjsOracle oracle)
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in GoldenCase.Names())
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Fact]
    public void GoldenSetIsPresent()
    {
        var names = GoldenCase.Names();
        Assert.True(names.Count >= 20, $"expected the golden cases of make-golden.mjs in {RepoPaths.Golden}, found {names.Count}");
        foreach (var required in new[] { "gc", "skip", "content-json", "types-nested", "any-values", "subdoc", "text-format-embed", "binary" })
        {
            Assert.Contains(required, names);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodesToTheContentYjsSees(string name, bool v2)
    {
        var golden = GoldenCase.Load(name);
        var doc = Decode(golden, v2);
        var diff = JsonDiff.FirstDifference(golden.Deep, DeepView.OfDoc(doc, golden.RootKinds));
        Assert.True(diff is null, $"{name} ({(v2 ? "v2" : "v1")}): {golden.Description}\n{diff}");
        Assert.Equal(golden.StateVector, Convert.ToBase64String(Y.EncodeStateVector(doc)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToJsonTextEqualsJsonStringify(string name, bool v2)
    {
        var golden = GoldenCase.Load(name);
        var doc = Decode(golden, v2);
        Assert.Equal(golden.JsonText, Roots.JsonText(doc, golden.Roots));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void YjsReadsOurReencodingToTheSameContent(string name, bool v2)
    {
        var golden = GoldenCase.Load(name);
        var doc = Decode(golden, v2);
        foreach (var writeV2 in new[] { false, true })
        {
            var ours = writeV2 ? Y.EncodeStateAsUpdateV2(doc) : Y.EncodeStateAsUpdate(doc);
            var seen = oracle.Request("applyUpdates", new JsonObject
            {
                ["updates"] = new JsonArray(Convert.ToBase64String(ours)),
                ["v2"] = writeV2,
                ["roots"] = golden.RootsJson(),
            });
            var diff = JsonDiff.FirstDifference(golden.Deep, seen["deep"]);
            Assert.True(diff is null, $"{name}: yjs read our {(writeV2 ? "v2" : "v1")} re-encoding differently: {diff}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OurReencodingEqualsYjsReencoding(string name, bool v2)
    {
        var golden = GoldenCase.Load(name);
        var doc = Decode(golden, v2);
        var yjs = oracle.Request("applyUpdates", new JsonObject
        {
            ["updates"] = new JsonArray(Convert.ToBase64String(golden.Update(v2))),
            ["v2"] = v2,
            ["roots"] = golden.RootsJson(),
        });
        var diffs = new List<string>();
        Check("encodeStateAsUpdate", yjs["v1"], Y.EncodeStateAsUpdate(doc), diffs);
        Check("encodeStateAsUpdateV2", yjs["v2"], Y.EncodeStateAsUpdateV2(doc), diffs);
        Assert.True(diffs.Count == 0, $"{name}: {string.Join("\n", diffs)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UpdateFunctionsMatchYjs(string name, bool v2)
    {
        var golden = GoldenCase.Load(name);
        var update = golden.Update(v2);
        var b64 = Convert.ToBase64String(update);
        var diffs = new List<string>();

        var converted = v2 ? Y.ConvertUpdateFormatV2ToV1(update) : Y.ConvertUpdateFormatV1ToV2(update);
        Check("convert", oracle.Request("convert", new JsonObject { ["update"] = b64, ["to"] = v2 ? "v1" : "v2" }), converted, diffs);

        var sv = v2 ? Y.EncodeStateVectorFromUpdateV2(update) : Y.EncodeStateVectorFromUpdate(update);
        Check("encodeStateVectorFromUpdate", oracle.Request("svFromUpdate", new JsonObject { ["update"] = b64, ["v2"] = v2 }), sv, diffs);

        // Diff against a state vector that cuts every client's range in half.
        var half = Y.DecodeStateVector(sv).ToDictionary(kv => kv.Key, kv => kv.Value / 2);
        var halfSv = Y.EncodeStateVector(half);
        var diffed = v2 ? Y.DiffUpdateV2(update, halfSv) : Y.DiffUpdate(update, halfSv);
        Check("diffUpdate", oracle.Request("diffUpdate", new JsonObject { ["update"] = b64, ["sv"] = Convert.ToBase64String(halfSv), ["v2"] = v2 }), diffed, diffs);

        // Merging the halves back (and the update with itself) must give what yjs's merge gives.
        var pieces = new List<byte[]> { diffed, update };
        var merged = v2 ? Y.MergeUpdatesV2(pieces) : Y.MergeUpdates(pieces);
        Check("mergeUpdates", oracle.Request("mergeUpdates", new JsonObject
        {
            ["updates"] = new JsonArray(Convert.ToBase64String(diffed), b64),
            ["v2"] = v2,
        }), merged, diffs);

        Assert.True(diffs.Count == 0, $"{name} ({(v2 ? "v2" : "v1")}): {string.Join("\n", diffs)}");
    }

    private static void Check(string what, JsonNode? yjs, byte[] ours, List<string> diffs) =>
        ScriptComparison.CompareBytes(what, yjs, JsonValue.Create(Convert.ToBase64String(ours)), diffs);

    private static Doc Decode(GoldenCase golden, bool v2)
    {
        var doc = new Doc(new DocOptions { ClientId = 999999 });
        foreach (var (root, kind) in golden.Roots)
        {
            Roots.Get(doc, root, kind);
        }

        if (v2)
        {
            Y.ApplyUpdateV2(doc, golden.V2);
        }
        else
        {
            Y.ApplyUpdate(doc, golden.V1);
        }

        return doc;
    }
}
