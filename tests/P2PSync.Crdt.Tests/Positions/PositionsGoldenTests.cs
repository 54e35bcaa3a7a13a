using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Positions;

/// <summary>
/// Replays the scenario of tests/oracle/positions-golden.mjs with the same client ids and
/// compares against the bytes and values yjs 13.6.33 printed for it.
/// </summary>
public sealed class PositionsGoldenTests
{
    private const ulong BigClient = 0x1234567890;

    private const string Snap1V1 = "0101010001020201010b";
    private const string Snap1V2 = "0101010000020201010b";
    private const string Snap2V1 = "010102000105030390f1d9a2a302050201010b";
    private const string Snap2V2 = "010102000004020390f1d9a2a302050201010b";
    private const string EmptySnap = "0000";
    private const string Restored1Update =
        "02010200c401040105012c030100010104746578740184010004656c6c6f8401040620776f726c640101010001";
    private const string Restored2Update =
        "030390f1d9a2a30200c40100010101482701016d066e657374656402040090f1d9a2a3020103616263010200c40104" +
        "0105012c040100010104746578740184010004656c6c6f8101040384010703726c6401010200010503";
    private const string FinalUpdate =
        "030390f1d9a2a30200c40100010101482701016d066e657374656402040090f1d9a2a3020103616263010200c40104" +
        "0105012c04010004010474657874016884010004656c6c6f8401040320776f84010703726c6401010200010503";

    /// <summary>label, index, assoc, encoded position, JSON, resolved index (all from yjs).</summary>
    public static TheoryData<string, int, int, string, string, int> GoldenPositions => new()
    {
        { "text", 0, 0, "0090f1d9a2a3020000", @"{""tname"":""text"",""item"":{""client"":78187493520,""clock"":0},""assoc"":0}", 0 },
        { "text", 1, 0, "00010100", @"{""tname"":""text"",""item"":{""client"":1,""clock"":1},""assoc"":0}", 1 },
        { "text", 4, 0, "00010400", @"{""tname"":""text"",""item"":{""client"":1,""clock"":4},""assoc"":0}", 4 },
        { "text", 8, 0, "00010a00", @"{""tname"":""text"",""item"":{""client"":1,""clock"":10},""assoc"":0}", 8 },
        { "text", 9, 0, "01047465787400", @"{""tname"":""text"",""assoc"":0}", 9 },
        { "nested", 0, 0, "0090f1d9a2a3020200", @"{""type"":{""client"":78187493520,""clock"":1},""item"":{""client"":78187493520,""clock"":2},""assoc"":0}", 0 },
        { "nested", 2, 0, "0090f1d9a2a3020400", @"{""type"":{""client"":78187493520,""clock"":1},""item"":{""client"":78187493520,""clock"":4},""assoc"":0}", 2 },
        { "nested", 3, 0, "0290f1d9a2a3020100", @"{""type"":{""client"":78187493520,""clock"":1},""assoc"":0}", 3 },
        { "text", 0, -1, "01047465787441", @"{""tname"":""text"",""assoc"":-1}", 0 },
        { "text", 1, -1, "0090f1d9a2a3020041", @"{""tname"":""text"",""item"":{""client"":78187493520,""clock"":0},""assoc"":-1}", 1 },
        { "text", 4, -1, "00010341", @"{""tname"":""text"",""item"":{""client"":1,""clock"":3},""assoc"":-1}", 4 },
        { "text", 8, -1, "00010941", @"{""tname"":""text"",""item"":{""client"":1,""clock"":9},""assoc"":-1}", 8 },
        { "text", 9, -1, "00010a41", @"{""tname"":""text"",""item"":{""client"":1,""clock"":10},""assoc"":-1}", 9 },
        { "nested", 0, -1, "0290f1d9a2a3020141", @"{""type"":{""client"":78187493520,""clock"":1},""assoc"":-1}", 0 },
        { "nested", 2, -1, "0090f1d9a2a3020341", @"{""type"":{""client"":78187493520,""clock"":1},""item"":{""client"":78187493520,""clock"":3},""assoc"":-1}", 2 },
        { "nested", 3, -1, "0090f1d9a2a3020441", @"{""type"":{""client"":78187493520,""clock"":1},""item"":{""client"":78187493520,""clock"":4},""assoc"":-1}", 3 },
    };

    [Theory]
    [MemberData(nameof(GoldenPositions))]
    public void RelativePositionMatchesYjs(string label, int index, int assoc, string hex, string json, int absoluteIndex)
    {
        var s = Scenario.Build();
        AbstractType type = label == "text" ? s.A.GetText("text") : s.NestedInA;

        var rpos = Y.CreateRelativePositionFromTypeIndex(type, index, assoc);

        Assert.Equal(hex, Convert.ToHexStringLower(Y.EncodeRelativePosition(rpos)));
        Assert.Equal(json, Lib0Any.ToJsonString(Y.RelativePositionToJson(rpos)));
        var abs = Y.CreateAbsolutePositionFromRelativePosition(rpos, s.A);
        Assert.NotNull(abs);
        Assert.Same(type, abs.Type);
        Assert.Equal(absoluteIndex, abs.Index);
        Assert.Equal(assoc, abs.Assoc);

        // What yjs encodes decodes to a position that resolves to the same place.
        var decoded = Y.DecodeRelativePosition(Convert.FromHexString(hex));
        var decodedAbs = Y.CreateAbsolutePositionFromRelativePosition(decoded, s.A);
        Assert.NotNull(decodedAbs);
        Assert.Same(type, decodedAbs.Type);
        Assert.Equal(absoluteIndex, decodedAbs.Index);
        Assert.Equal(hex, Convert.ToHexStringLower(Y.EncodeRelativePosition(decoded)));

        // And the JSON form reads back to an equal position.
        var fromJson = Y.CreateRelativePositionFromJson((Dictionary<string, object?>)Lib0Any.ParseJson(json)!);
        Assert.True(Y.CompareRelativePositions(rpos, fromJson));
    }

    [Fact]
    public void SnapshotsEncodeAsInYjs()
    {
        var s = Scenario.Build();

        Assert.Equal("ello, world", s.Text1);
        Assert.Equal("Hello,rld", s.A.GetText("text").ToString());
        Assert.Equal(Snap1V1, Convert.ToHexStringLower(Y.EncodeSnapshot(s.Snap1)));
        Assert.Equal(Snap1V2, Convert.ToHexStringLower(Y.EncodeSnapshotV2(s.Snap1)));
        Assert.Equal(Snap2V1, Convert.ToHexStringLower(Y.EncodeSnapshot(s.Snap2)));
        Assert.Equal(Snap2V2, Convert.ToHexStringLower(Y.EncodeSnapshotV2(s.Snap2)));
        Assert.Equal(EmptySnap, Convert.ToHexStringLower(Y.EncodeSnapshot(Y.EmptySnapshot())));
        Assert.Equal(EmptySnap, Convert.ToHexStringLower(Y.EncodeSnapshotV2(Y.EmptySnapshot())));
        Assert.Equal(FinalUpdate, Convert.ToHexStringLower(Y.EncodeStateAsUpdate(s.A)));
    }

    [Fact]
    public void YjsSnapshotBytesDecodeToEqualSnapshots()
    {
        var s = Scenario.Build();

        Assert.True(Y.EqualSnapshots(s.Snap1, Y.DecodeSnapshot(Convert.FromHexString(Snap1V1))));
        Assert.True(Y.EqualSnapshots(s.Snap1, Y.DecodeSnapshotV2(Convert.FromHexString(Snap1V2))));
        Assert.True(Y.EqualSnapshots(s.Snap2, Y.DecodeSnapshot(Convert.FromHexString(Snap2V1))));
        Assert.True(Y.EqualSnapshots(s.Snap2, Y.DecodeSnapshotV2(Convert.FromHexString(Snap2V2))));
        Assert.False(Y.EqualSnapshots(s.Snap1, s.Snap2));
    }

    [Fact]
    public void RestoredDocsMatchYjs()
    {
        var s = Scenario.Build();

        var restored1 = Y.CreateDocFromSnapshot(s.A, s.Snap1);
        Assert.Equal("ello, world", restored1.GetText("text").ToString());
        Assert.Equal(Restored1Update, Convert.ToHexStringLower(Y.EncodeStateAsUpdate(restored1)));

        var restored2 = Y.CreateDocFromSnapshot(s.A, s.Snap2);
        Assert.Equal("Hello,rld", restored2.GetText("text").ToString());
        Assert.Equal("abc", ((YText)restored2.GetMap("m").Get("nested")!).ToString());
        Assert.Equal(Restored2Update, Convert.ToHexStringLower(Y.EncodeStateAsUpdate(restored2)));

        // Restoring splits and re-merges structs of the origin doc but must not change its state.
        Assert.Equal(FinalUpdate, Convert.ToHexStringLower(Y.EncodeStateAsUpdate(s.A)));
    }

    [Fact]
    public void SnapshotContainsUpdateMatchesYjs()
    {
        var s = Scenario.Build();

        Assert.False(Y.SnapshotContainsUpdate(s.Snap1, s.UpdateOfC));
        Assert.True(Y.SnapshotContainsUpdate(s.Snap2, s.UpdateOfC));
        Assert.True(Y.SnapshotContainsUpdateV2(s.Snap2, Y.EncodeStateAsUpdateV2(s.C)));
        Assert.False(Y.SnapshotContainsUpdateV2(s.Snap1, Y.EncodeStateAsUpdateV2(s.C)));
    }

    /// <summary>The edits of positions-golden.mjs, step by step.</summary>
    private sealed class Scenario
    {
        private Scenario(Doc a, Doc c, Snapshot snap1, string text1, Snapshot snap2, byte[] updateOfC)
        {
            A = a;
            C = c;
            Snap1 = snap1;
            Text1 = text1;
            Snap2 = snap2;
            UpdateOfC = updateOfC;
        }

        public Doc A { get; }

        public Doc C { get; }

        public Snapshot Snap1 { get; }

        public string Text1 { get; }

        public Snapshot Snap2 { get; }

        public byte[] UpdateOfC { get; }

        public YText NestedInA => (YText)A.GetMap("m").Get("nested")!;

        public static Scenario Build()
        {
            var a = NewDoc(1);
            var b = NewDoc(2);
            var c = NewDoc(BigClient);

            a.GetText("text").Insert(0, "hello world");
            Sync(a, b);
            b.GetText("text").Insert(5, ",");
            a.GetText("text").Delete(0, 1);
            Sync(a, b);
            Sync(b, a);

            var snap1 = Y.Snapshot(a);
            var text1 = a.GetText("text").ToString();

            Sync(a, c);
            c.GetText("text").Insert(0, "H");
            var nested = new YText();
            c.GetMap("m").Set("nested", nested);
            nested.Insert(0, "abc");
            Sync(c, a);
            a.GetText("text").Delete(6, 3);

            var snap2 = Y.Snapshot(a);
            return new Scenario(a, c, snap1, text1, snap2, Y.EncodeStateAsUpdate(c));
        }

        private static Doc NewDoc(ulong clientId) => new(new DocOptions { ClientId = clientId, Gc = false });

        private static void Sync(Doc from, Doc to) =>
            Y.ApplyUpdate(to, Y.EncodeStateAsUpdate(from, Y.EncodeStateVector(to)));
    }
}
