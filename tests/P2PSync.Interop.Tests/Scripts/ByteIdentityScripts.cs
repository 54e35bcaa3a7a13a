using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Scripts;

/// <summary>
/// Deterministic op scripts that both yjs and our CRDT run with the same client ids; every
/// update, state vector and encoding they produce must be byte-identical. Each script names
/// the behaviour it pins down.
/// </summary>
internal static class ByteIdentityScripts
{
    private static object[] P(params object[] path) => path;

    private static JsonObject A(params (string Key, object? Value)[] members) => V.Obj(members);

    public static IReadOnlyDictionary<string, Func<JsonObject>> All { get; } = new Dictionary<string, Func<JsonObject>>
    {
        ["text-typing"] = TextTyping,
        ["text-concurrent-split"] = TextConcurrentSplit,
        ["text-formatting"] = TextFormatting,
        ["text-embeds"] = TextEmbeds,
        ["text-apply-delta"] = TextApplyDelta,
        ["text-unicode"] = TextUnicode,
        ["array-values"] = ArrayValues,
        ["array-concurrent"] = ArrayConcurrent,
        ["map-overwrites"] = MapOverwrites,
        ["nested-types"] = NestedTypes,
        ["nested-delete-gc"] = NestedDeleteGc,
        ["xml"] = Xml,
        ["subdocs"] = Subdocs,
        ["pending-structs"] = PendingStructs,
        ["pending-delete-set"] = PendingDeleteSet,
        ["merge-diff-convert"] = MergeDiffConvert,
        ["explicit-target-vectors"] = ExplicitTargets,
        ["large-client-ids"] = LargeClientIds,
        ["one-big-transaction"] = OneBigTransaction,
        ["delete-all-reinsert"] = DeleteAllReinsert,
        ["special-numbers"] = SpecialNumbers,
        ["bigint-values"] = BigIntValues,
    };

    private static JsonObject TextTyping()
    {
        var s = new ScriptBuilder().Root("t", "text").Doc(11).Doc(12, gc: false);
        var text = "The quick brown fox";
        for (var i = 0; i < text.Length; i++)
        {
            s.Tx(0, Op.Insert(P("t"), i, text[i].ToString()));
        }

        s.Tx(0, Op.Delete(P("t"), 4, 6)); // spans merged items
        s.Tx(0, Op.Insert(P("t"), 4, "slow "));
        s.Tx(0, Op.Delete(P("t"), 0, 1));
        s.Tx(0, Op.Delete(P("t"), 5, 1));
        s.Sync(1, 0).Tx(1, Op.Insert(P("t"), 3, "!!")).Tx(1, Op.Delete(P("t"), 1, 5)).Sync(0, 1);
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject TextConcurrentSplit()
    {
        var s = new ScriptBuilder().Root("t", "text").Doc(5).Doc(3).Doc(9, gc: false);
        s.Tx(0, Op.Insert(P("t"), 0, "abcdefghij"));
        s.Sync(1, 0).Sync(2, 0);
        s.Tx(0, Op.Insert(P("t"), 5, "AAA"));
        s.Tx(1, Op.Insert(P("t"), 5, "BBB"));
        s.Tx(2, Op.Insert(P("t"), 5, "CCC"));
        s.Tx(1, Op.Delete(P("t"), 2, 6));
        s.Tx(2, Op.Insert(P("t"), 0, "start"), Op.Insert(P("t"), 18, "end"));
        s.Sync(0, 1).Sync(0, 2).Sync(1, 0).Sync(2, 0);
        s.Tx(0, Op.Delete(P("t"), 1, 12));
        s.SyncAll(v2: true);
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject TextFormatting()
    {
        var s = new ScriptBuilder().Root("rich", "text").Doc(21).Doc(22);
        s.Tx(0, Op.Insert(P("rich"), 0, "Hello world, formatted text"));
        s.Tx(0, Op.Format(P("rich"), 0, 5, A(("bold", true))));
        s.Tx(0, Op.Format(P("rich"), 3, 6, A(("italic", true), ("color", "#f00"))));
        s.Tx(0, Op.Insert(P("rich"), 2, "XX", A(("bold", true))));
        s.Sync(1, 0);
        s.Tx(1, Op.Format(P("rich"), 0, 10, A(("bold", null))));
        s.Tx(0, Op.Format(P("rich"), 5, 10, A(("underline", true), ("link", A(("href", "x"))))));
        s.Tx(0, Op.Insert(P("rich"), 8, "in the middle"));
        s.Tx(1, Op.Insert(P("rich"), 0, "Title\n", A(("header", 1))));
        s.SyncAll();
        s.Tx(0, Op.Format(P("rich"), 0, 40, A(("italic", null))));
        s.Tx(1, Op.Delete(P("rich"), 3, 10));
        s.SyncAll(v2: true);
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject TextEmbeds()
    {
        var s = new ScriptBuilder().Root("t", "text").Doc(31).Doc(32);
        s.Tx(0, Op.Insert(P("t"), 0, "before after"));
        s.Tx(0, Op.InsertEmbed(P("t"), 7, A(("image", "a.png"), ("w", 10))));
        s.Tx(0, Op.InsertEmbed(P("t"), 0, A(("formula", "x^2")), A(("bold", true))));
        s.Tx(0, Op.InsertEmbed(P("t"), 3, V.Type("map")));
        s.Tx(0, Op.SetAttribute(P("t"), "lang", V.Of("en")));
        s.Sync(1, 0);
        s.Tx(1, Op.Delete(P("t"), 6, 3));
        s.Tx(0, Op.Format(P("t"), 0, 5, A(("em", true))));
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject TextApplyDelta()
    {
        var s = new ScriptBuilder().Root("t", "text").Doc(41);
        s.Tx(0, Op.ApplyDelta(P("t"), V.Delta(insert: "Gandalf", attributes: A(("bold", true))), V.Delta(insert: " the "), V.Delta(insert: "Grey", attributes: A(("color", "#ccc")))));
        s.Tx(0, Op.ApplyDelta(P("t"), V.Delta(retain: 12), V.Delta(delete: 4), V.Delta(insert: "White", attributes: A(("color", "#fff")))));
        s.Tx(0, Op.ApplyDelta(P("t"), V.Delta(retain: 7, attributes: A(("bold", null), ("italic", true))), V.Delta(insertValue: V.Obj(("image", "x.png")))));
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject TextUnicode()
    {
        var s = new ScriptBuilder().Root("t", "text").Doc(51, gc: false).Doc(52);
        s.Tx(0, Op.Insert(P("t"), 0, "a😀b𝄞c"));
        s.Tx(0, Op.Insert(P("t"), 0, "héllo 中文 "));
        s.Tx(0, Op.Delete(P("t"), 11, 1)); // the low half of 😀
        s.Tx(0, Op.Insert(P("t"), 14, "x")); // between the halves of 𝄞
        s.Sync(1, 0);
        s.Tx(1, Op.Insert(P("t"), 3, "\u0000\u007f\u0080\u07ff\u0800\uffff"));
        s.Sync(0, 1);
        // clocks that end between the two halves of a surrogate pair
        s.Target(0, new Dictionary<ulong, int> { [51] = 2 });
        s.Target(0, new Dictionary<ulong, int> { [51] = 8, [52] = 1 });
        s.Target(1, new Dictionary<ulong, int> { [51] = 12 });
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject ArrayValues()
    {
        var s = new ScriptBuilder().Root("a", "array").Doc(61);
        s.Tx(0, Op.InsertValues(P("a"), 0, V.Of(1L), V.Of(-1L), V.Of(63L), V.Of(64L), V.Of(-64L), V.Of(2147483647L), V.Of(2147483648L),
            V.Of(-2147483648L), V.Of(4294967296L), V.Of(9007199254740991L), V.Of(0.5), V.Of(1.1), V.Of(-2.75), V.Of(1e300), V.Of(3.5)));
        s.Tx(0, Op.InsertValues(P("a"), 3, V.Of("str"), V.Of(""), V.Of(true), V.Of(false), null, V.Arr(1L, "x", V.Arr()), A(("k", "v"), ("n", A(("deep", 1L))))));
        s.Tx(0, Op.Push(P("a"), V.Of(new byte[] { 1, 2, 3 }), V.Of(new byte[0]), A(("bin", new byte[] { 9 })), A(("u", V.Obj(("$undefined", true))))));
        s.Tx(0, Op.Delete(P("a"), 5, 4));
        s.Tx(0, Op.InsertValues(P("a"), 7, V.Of("split")));
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject ArrayConcurrent()
    {
        var s = new ScriptBuilder().Root("a", "array").Doc(100).Doc(7).Doc(50);
        s.Tx(0, Op.Push(P("a"), V.Of(1L), V.Of(2L), V.Of(3L)));
        s.Sync(1, 0).Sync(2, 0);
        s.Tx(0, Op.InsertValues(P("a"), 1, V.Of("a0"), V.Of("a1")));
        s.Tx(1, Op.InsertValues(P("a"), 1, V.Of("b0")));
        s.Tx(2, Op.InsertValues(P("a"), 1, V.Of("c0")), Op.Delete(P("a"), 0, 2));
        s.Tx(1, Op.Delete(P("a"), 1, 3));
        s.Sync(1, 2, v2: true).Sync(0, 1).Sync(2, 0, v2: true).SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject MapOverwrites()
    {
        var s = new ScriptBuilder().Root("m", "map").Doc(71).Doc(72).Doc(70, gc: false);
        s.Tx(0, Op.Set(P("m"), "k", V.Of(1L)), Op.Set(P("m"), "k", V.Of("two")));
        s.Tx(0, Op.Set(P("m"), "k", A(("three", 3L))), Op.Set(P("m"), "gone", V.Of(true)), Op.Set(P("m"), "undef", V.Obj(("$undefined", true))));
        s.Sync(1, 0).Sync(2, 0);
        s.Tx(1, Op.Set(P("m"), "k", V.Of("b")));
        s.Tx(2, Op.Set(P("m"), "k", V.Of("c")), Op.DeleteKey(P("m"), "gone"));
        s.Tx(0, Op.Set(P("m"), "k", V.Of("a")), Op.Set(P("m"), "gone", V.Of("back")));
        s.SyncAll();
        s.Tx(1, Op.DeleteKey(P("m"), "k"), Op.Set(P("m"), "bin", V.Of(new byte[] { 4, 5 })));
        s.SyncAll(v2: true);
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject NestedTypes()
    {
        var s = new ScriptBuilder().Root("m", "map").Root("a", "array").Doc(81).Doc(82);
        s.Tx(0, Op.Set(P("m"), "list", V.Type("array")), Op.Set(P("m"), "text", V.Type("text")), Op.Set(P("m"), "map", V.Type("map")));
        s.Tx(0, Op.Push(P("m", "list"), V.Type("map"), V.Of(1L), V.Type("text"), V.Type("array")));
        s.Tx(0, Op.Set(P("m", "list", 0), "deep", V.Type("array")), Op.Insert(P("m", "text"), 0, "nested"), Op.Insert(P("m", "list", 2), 0, "in list", A(("b", true))));
        s.Tx(0, Op.Push(P("m", "list", 0, "deep"), V.Of("x"), V.Type("xmlFragment")));
        s.Tx(0, Op.Push(P("a"), V.Type("xmlText"), V.Type("xmlFragment"), V.Hook("hook"), V.Element("div")));
        s.Tx(0, Op.Insert(P("a", 0), 0, "xml text"), Op.Push(P("a", 1), V.Element("p")), Op.Set(P("a", 2), "h", V.Of(1L)), Op.SetAttribute(P("a", 3), "k", V.Of("v")));
        s.Sync(1, 0);
        s.Tx(1, Op.Set(P("m", "map"), "inner", V.Type("text")), Op.Delete(P("m", "list"), 1, 1));
        s.Tx(0, Op.Insert(P("m", "list", 2), 2, "concurrent"));
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject NestedDeleteGc()
    {
        var s = new ScriptBuilder().Root("m", "map").Root("t", "text").Doc(91, gc: true).Doc(92, gc: false).Doc(93, gc: true);
        s.Tx(0, Op.Set(P("m"), "nested", V.Type("array")));
        s.Tx(0, Op.Push(P("m", "nested"), V.Of("a"), V.Type("text"), V.Type("map")));
        s.Tx(0, Op.Insert(P("m", "nested", 1), 0, "deep text"), Op.Set(P("m", "nested", 2), "k", V.Of(1L)));
        s.Tx(0, Op.Insert(P("t"), 0, "keep this, drop that"));
        s.Sync(1, 0).Sync(2, 0);
        s.Tx(0, Op.Set(P("m"), "nested", V.Of("replaced")));
        s.Tx(0, Op.Delete(P("t"), 11, 9));
        s.Tx(1, Op.Insert(P("m", "nested", 1), 4, " concurrent"));
        s.Tx(2, Op.Set(P("m", "nested", 2), "k", V.Of(2L)));
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject Xml()
    {
        var s = new ScriptBuilder().Root("x", "xmlFragment").Doc(101).Doc(102);
        s.Tx(0, Op.InsertValues(P("x"), 0, V.Element("h1"), V.Element("p"), V.Hook("embed"), V.Type("xmlText")));
        s.Tx(0, Op.InsertValues(P("x", 0), 0, V.Type("xmlText")), Op.Insert(P("x", 0, 0), 0, "Heading"));
        s.Tx(0, Op.SetAttribute(P("x", 1), "align", V.Of("center")), Op.SetAttribute(P("x", 1), "id", V.Of("para")));
        s.Tx(0, Op.InsertValues(P("x", 1), 0, V.Type("xmlText"), V.Element("br"), V.Element("img")));
        s.Tx(0, Op.Insert(P("x", 1, 0), 0, "plain bold"), Op.Format(P("x", 1, 0), 6, 4, A(("strong", V.Obj()))));
        s.Tx(0, Op.Set(P("x", 2), "payload", A(("kind", "widget"))), Op.Insert(P("x", 3), 0, "tail text"));
        s.Sync(1, 0);
        s.Tx(1, Op.RemoveAttribute(P("x", 1), "id"), Op.InsertValues(P("x"), 1, V.Element("hr")));
        s.Tx(0, Op.Delete(P("x", 1), 1, 1), Op.SetAttribute(P("x", 1, 1), "src", V.Of("a.png")));
        s.SyncAll();
        s.Tx(1, Op.Delete(P("x"), 0, 2));
        s.SyncAll(v2: true);
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject Subdocs()
    {
        var s = new ScriptBuilder().Root("docs", "map").Root("list", "array").Doc(111).Doc(112);
        s.Tx(0, Op.Set(P("docs"), "plain", V.Subdoc("guid-plain")));
        s.Tx(0, Op.Set(P("docs"), "opts", V.Subdoc("guid-opts", A(("gc", false), ("autoLoad", true), ("meta", A(("owner", "x")))))));
        s.Tx(0, Op.Push(P("list"), V.Subdoc("guid-in-list", A(("meta", "m"))), V.Of("after")));
        s.Sync(1, 0);
        s.Tx(1, Op.DeleteKey(P("docs"), "plain"));
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject PendingStructs()
    {
        var s = new ScriptBuilder().Root("t", "text").Root("a", "array").Doc(121).Doc(122).Doc(123);
        s.Tx(0, out var t1, Op.Insert(P("t"), 0, "first"));
        s.Tx(0, out var t2, Op.Insert(P("t"), 5, " second"));
        s.Tx(0, out var t3, Op.Push(P("a"), V.Of(1L)), Op.Insert(P("t"), 0, ">"));
        s.Apply(1, [t3]); // missing t1 and t2: pending
        s.Apply(2, [t2], v2: true); // missing t1
        s.Apply(1, [t2], v2: true);
        s.Tx(1, out var t4, Op.Push(P("a"), V.Of(2L)));
        s.Apply(2, [t4]); // depends on nothing of 121 but is encoded after pending state
        s.Apply(1, [t1]);
        s.Apply(2, [t1, t3], merge: true);
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject PendingDeleteSet()
    {
        var s = new ScriptBuilder().Root("t", "text").Doc(131).Doc(132);
        s.Tx(0, out var t1, Op.Insert(P("t"), 0, "abcdef"));
        s.Tx(0, out var t2, Op.Delete(P("t"), 1, 3));
        s.Apply(1, [t2]); // a delete set for structs the doc has not seen
        s.Tx(1, Op.Insert(P("t"), 0, "own "));
        s.Apply(1, [t1], v2: true);
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject MergeDiffConvert()
    {
        var s = new ScriptBuilder().Root("t", "text").Root("m", "map").Doc(141).Doc(142).Doc(143);
        var steps = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            s.Tx(i % 2, out var st, Op.Insert(P("t"), 0, $"w{i} "), Op.Set(P("m"), $"k{i % 3}", V.Of((long)i)));
            steps.Add(st);
        }

        s.Tx(0, out var del, Op.Delete(P("t"), 1, 2));
        steps.Add(del);
        s.Apply(2, steps.ToArray(), merge: true);
        s.Apply(1, steps.ToArray(), v2: true, merge: true, diff: true);
        s.Apply(0, steps.ToArray(), convert: true);
        s.Apply(2, [steps[1], steps[3]], v2: true, convert: true, diff: true);
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject ExplicitTargets()
    {
        var s = new ScriptBuilder().Root("t", "text").Root("a", "array").Doc(151).Doc(152);
        s.Tx(0, Op.Insert(P("t"), 0, "0123456789"), Op.Push(P("a"), V.Of(1L), V.Of(2L), V.Of(3L)));
        s.Tx(1, Op.Insert(P("t"), 0, "abcdef"));
        s.Sync(1, 0).Sync(0, 1);
        s.Tx(0, Op.Delete(P("t"), 3, 8));
        s.SyncAll();
        foreach (var clock in new[] { 0, 1, 5, 9, 10, 12, 13, 20 })
        {
            s.Target(0, new Dictionary<ulong, int> { [151] = clock });
            s.Target(1, new Dictionary<ulong, int> { [151] = clock, [152] = clock / 2 });
        }

        s.Target(0, new Dictionary<ulong, int> { [999] = 5 });
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject LargeClientIds()
    {
        var s = new ScriptBuilder().Root("a", "array").Doc(0).Doc(4294967301UL).Doc(9007199254740991UL);
        for (var d = 0; d < 3; d++)
        {
            s.Tx(d, Op.InsertValues(P("a"), 0, V.Of($"from {d}")));
        }

        s.SyncAll(v2: true);
        s.Tx(2, Op.Delete(P("a"), 0, 2));
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject OneBigTransaction()
    {
        var s = new ScriptBuilder().Root("t", "text").Root("a", "array").Root("m", "map").Root("x", "xmlFragment").Doc(161).Doc(162);
        var ops = new List<JsonObject>();
        for (var i = 0; i < 30; i++)
        {
            ops.Add(Op.Insert(P("t"), i * 2 % (i + 1), $"{(char)('a' + (i % 26))}"));
            ops.Add(Op.InsertValues(P("a"), 0, V.Of((long)i)));
            ops.Add(Op.Set(P("m"), $"k{i % 5}", V.Of((long)i)));
            if (i % 7 == 3)
            {
                ops.Add(Op.Delete(P("t"), 1, 2));
                ops.Add(Op.Delete(P("a"), 2, 1));
            }
        }

        ops.Add(Op.InsertValues(P("x"), 0, V.Element("p")));
        s.Tx(0, ops.ToArray());
        s.Sync(1, 0, v2: true);
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject DeleteAllReinsert()
    {
        var s = new ScriptBuilder().Root("t", "text").Root("a", "array").Doc(171, gc: true).Doc(172, gc: false);
        s.Tx(0, Op.Insert(P("t"), 0, "content"), Op.Push(P("a"), V.Of(1L), V.Of(2L)));
        s.Sync(1, 0);
        s.Tx(0, Op.Delete(P("t"), 0, 7), Op.Delete(P("a"), 0, 2));
        s.Tx(1, Op.Delete(P("t"), 0, 7), Op.Delete(P("a"), 0, 2));
        s.Tx(0, Op.Insert(P("t"), 0, "new"), Op.Push(P("a"), V.Of(3L)));
        s.SyncAll();
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject SpecialNumbers()
    {
        var s = new ScriptBuilder().Root("m", "map").Doc(181);
        s.Tx(0, Op.Set(P("m"), "nan", V.Of(double.NaN)), Op.Set(P("m"), "inf", V.Of(double.PositiveInfinity)),
            Op.Set(P("m"), "ninf", V.Of(double.NegativeInfinity)), Op.Set(P("m"), "tiny", V.Of(5e-324)),
            Op.Set(P("m"), "f32", V.Of(0.15625)), Op.Set(P("m"), "big", V.Of(1e21)), Op.Set(P("m"), "p60", V.Of(1152921504606846976L)));
        return s.TargetsAllPairs().Build();
    }

    private static JsonObject BigIntValues()
    {
        var s = new ScriptBuilder().Root("m", "map").Doc(191);
        s.Tx(0, Op.Set(P("m"), "big", V.Obj(("$bigint", "123"))), Op.Set(P("m"), "min", V.Obj(("$bigint", "-9223372036854775808"))),
            Op.Set(P("m"), "nested", A(("n", V.Obj(("$bigint", "9223372036854775807"))))));
        return s.TargetsAllPairs().Build();
    }
}
