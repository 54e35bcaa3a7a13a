using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>
/// Runs each deterministic script of <see cref="ByteIdentityScripts"/> in yjs and in our CRDT
/// with the same client ids. Every transaction's update (v1 and v2), every final state vector
/// and full-state encoding, and the encodings against target state vectors must be byte-identical.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class ByteIdentityTests(YjsOracle oracle)
{
    public static TheoryData<string> Names() => new(ByteIdentityScripts.All.Keys.OrderBy(k => k, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void SameBytesAsYjs(string name)
    {
        var script = ByteIdentityScripts.All[name]();
        var yjs = oracle.Request("runScript", new JsonObject { ["script"] = script.DeepClone() }).AsObject();
        var ours = ScriptRunner.Run(script);
        var diffs = ScriptComparison.Differences(yjs, ours);
        Assert.True(diffs.Count == 0, $"script {name}:\n{string.Join("\n", diffs.Take(12))}\nscript: {script.ToJsonString()}");
    }
}
