using System.Text.Json;
using P2PSync.Crdt.Core;
using static P2PSync.Crdt.Tests.Core.CoreTestUtil;

namespace P2PSync.Crdt.Tests.Core;

/// <summary>
/// Replays deliveries recorded from real yjs replicas (concurrent edits, formatting, nested types,
/// duplicates, out-of-order updates) and requires byte-identical final states.
/// </summary>
public sealed class DifferentialReplayTests
{
    public static IEnumerable<object[]> Runs() => CoreRandomData.Runs.Select((_, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(Runs))]
    public void ReplayedDeliveries_EndInYjsStateByteForByte(int run)
    {
        using var json = JsonDocument.Parse(CoreRandomData.Runs[run]);
        var root = json.RootElement;
        var applied = root.GetProperty("applied");
        var v2 = root.GetProperty("v2").GetBoolean();
        var gc = root.GetProperty("gc").GetBoolean();
        for (var replica = 0; replica < 3; replica++)
        {
            var doc = NewDoc(100 + (ulong)replica, gc);
            foreach (var update in applied[replica].EnumerateArray())
            {
                if (v2)
                {
                    Y.ApplyUpdateV2(doc, Hex(update.GetString()!));
                }
                else
                {
                    Y.ApplyUpdate(doc, Hex(update.GetString()!));
                }
            }
            var seed = root.GetProperty("seed").GetInt32();
            Assert.True(doc.Store.PendingStructs is null, $"seed {seed}: pending structs left");
            Assert.Equal(root.GetProperty("text")[replica].GetString(), doc.GetText("t").ToString());
            Assert.Equal(root.GetProperty("states")[replica].GetString(), ToHex(Y.EncodeStateAsUpdate(doc)));
            Assert.Equal(root.GetProperty("statesV2")[replica].GetString(), ToHex(Y.EncodeStateAsUpdateV2(doc)));
        }
    }
}
