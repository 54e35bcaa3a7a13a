using System.Numerics;
using System.Text.Json.Nodes;
using P2PSync.Crdt.Encoding;
using P2PSync.Interop.Tests.Oracle;
using P2PSync.Interop.Tests.Scripts;

namespace P2PSync.Interop.Tests.Support;

/// <summary>
/// Checks of the test harness itself: a comparison that cannot fail proves nothing, so these
/// make sure differences are detected and the value codec is lossless.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class HarnessSelfTests(YjsOracle oracle)
{
    [Fact]
    public void OracleIsThePinnedYjs() => Assert.Equal("13.6.33", oracle.YjsVersion);

    [Fact]
    public void OracleErrorsSurfaceAsExceptions()
    {
        var e = Assert.Throws<OracleException>(() => oracle.Request("mergeUpdates", new JsonObject { ["updates"] = new JsonArray("AAEC", "////"), ["v2"] = false }));
        Assert.Contains("mergeUpdates", e.Message);
        Assert.Throws<OracleException>(() => oracle.Request("no-such-command"));
    }

    [Fact]
    public void ComparisonDetectsEveryKindOfDifference()
    {
        var script = ByteIdentityScripts.All["text-formatting"]();
        var yjs = oracle.Request("runScript", new JsonObject { ["script"] = script.DeepClone() }).AsObject();
        Assert.Empty(ScriptComparison.Differences(yjs, (JsonObject)yjs.DeepClone()));

        var flipped = (JsonObject)yjs.DeepClone();
        var v1 = Convert.FromBase64String(flipped["docs"]![0]!["v1"]!.GetValue<string>());
        v1[^1] ^= 1;
        flipped["docs"]![0]!["v1"] = Convert.ToBase64String(v1);
        Assert.Contains(ScriptComparison.Differences(yjs, flipped), d => d.Contains("doc 0 encodeStateAsUpdate", StringComparison.Ordinal));

        var content = (JsonObject)yjs.DeepClone();
        content["docs"]![1]!["deep"]!["rich"]!["$text"]![0]!["insert"] = "changed";
        Assert.Contains(ScriptComparison.Differences(yjs, content), d => d.Contains("doc 1 content", StringComparison.Ordinal));

        var update = (JsonObject)yjs.DeepClone();
        update["updates"]![2]!["v2"] = null;
        Assert.Contains(ScriptComparison.Differences(yjs, update), d => d.Contains("(v2)", StringComparison.Ordinal));
    }

    [Fact]
    public void JsonDiffComparesNumbersByValueAndFindsNestedDifferences()
    {
        Assert.Null(JsonDiff.FirstDifference(JsonNode.Parse("{\"a\":[1e21,0.5]}"), JsonNode.Parse("{\"a\":[1E+21,5e-1]}")));
        Assert.Equal("$.a[1].b: expected 2 but was 3", JsonDiff.FirstDifference(JsonNode.Parse("{\"a\":[1,{\"b\":2}]}"), JsonNode.Parse("{\"a\":[1,{\"b\":3}]}")));
        Assert.NotNull(JsonDiff.FirstDifference(JsonNode.Parse("{\"a\":1}"), JsonNode.Parse("{\"a\":1,\"b\":null}")));
        Assert.NotNull(JsonDiff.FirstDifference(JsonNode.Parse("[1,2]"), JsonNode.Parse("[1]")));
        Assert.NotNull(JsonDiff.FirstDifference(JsonNode.Parse("\"1\""), JsonNode.Parse("1")));
    }

    [Fact]
    public void WireCodecRoundTripsEveryEscape()
    {
        var wire = JsonNode.Parse("""
            [null, true, 1, -2147483649, 0.5, "s", {"$undefined": true}, {"$bin": "AQID"}, {"$bigint": "-9223372036854775808"},
             {"$num": "-0"}, {"$num": "NaN"}, {"$num": "Infinity"}, {"$num": "-Infinity"}, [{"k": [1, {"$bin": ""}]}]]
            """);
        var values = (List<object?>)Wire.FromWire(wire)!;
        Assert.Same(Undefined.Value, values[6]);
        Assert.Equal(new byte[] { 1, 2, 3 }, values[7]);
        Assert.Equal(BigInteger.Parse("-9223372036854775808", System.Globalization.CultureInfo.InvariantCulture), values[8]);
        Assert.True(double.IsNegative((double)values[9]!) && (double)values[9]! == 0);
        Assert.True(double.IsNaN((double)values[10]!));
        Assert.Equal(double.PositiveInfinity, values[11]);
        Assert.Equal(double.NegativeInfinity, values[12]);
        Assert.IsType<long>(values[2]);
        Assert.IsType<double>(values[4]);
        Assert.Null(JsonDiff.FirstDifference(wire, Wire.ToWire(values)));
        Assert.Equal(wire!.ToJsonString(), Wire.ToWire(values)!.ToJsonString());
    }
}
