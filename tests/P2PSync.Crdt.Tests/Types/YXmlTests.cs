using P2PSync.Crdt.Types;
using static P2PSync.Crdt.Tests.Support.DocSync;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>XML types; expected strings, events and bytes were captured from yjs 13.6.33.</summary>
public sealed class YXmlTests
{
    [Fact]
    public void TreeSerialisesEmitsEventsAndEncodesLikeYjs()
    {
        var doc = Create(1);
        var f = doc.GetXmlFragment("x");
        var ev = new List<string>();
        f.ObserveDeep((es, _) => ev.Add(string.Join(" | ", es.Select(e => e switch
        {
            YXmlEvent x => $"{TypeTestJson.Value(e.Path.ToList())} {x.ChildListChanged} [{string.Join(",", x.AttributesChanged)}] YXmlEvent",
            YTextEvent t => $"{TypeTestJson.Value(e.Path.ToList())} {t.ChildListChanged} [{string.Join(",", t.KeysChanged)}] YTextEvent",
            _ => "?",
        }))));

        var p = new YXmlElement("P");
        p.SetAttribute("class", "c1");
        p.SetAttribute("a-id", 7L);
        var t = new YXmlText("hello ");
        p.Insert(0, new AbstractType[] { t });
        f.Insert(0, new AbstractType[] { p, new YXmlText("tail") });
        t.Insert(6, "world", Attrs(("bold", new Dictionary<string, object?>()), ("link", Attrs(("href", "x.html"), ("target", "_b")))));
        t.Format(0, 2, Attrs(("i", true)));
        p.SetAttribute("class", "c2");
        var hook = new YXmlHook("h");
        hook.Set("k", "v");
        p.Insert(1, new AbstractType[] { new YXmlElement("br"), hook });

        const string xml = """<p a-id="7" class="c2"><i>he</i>llo <bold><link href="x.html" target="_b">world</link></bold><br></br>[object Object]</p>tail""";
        Assert.Equal(xml, f.ToString());
        Assert.Equal(xml, f.ToJson());
        Assert.Equal("""<i>he</i>llo <bold><link href="x.html" target="_b">world</link></bold>""", t.ToJson());
        Assert.Equal(
            new[]
            {
                "[] True [] YXmlEvent",
                "[0,0] True [] YTextEvent",
                "[0,0] True [] YTextEvent",
                "[0] False [class] YXmlEvent",
                "[0] True [] YXmlEvent",
            },
            ev);
        Assert.Single(f.QuerySelectorAll("br"));
        Assert.Same(p, f.QuerySelector("p"));
        Assert.Equal(5, f.CreateTreeWalker().Count());
        Assert.Same(p, f.FirstChild);
        Assert.IsType<YXmlText>(p.NextSibling);
        Assert.Null(p.PrevSibling);
        Assert.Equal(
            "ARMBAAcBAXgDAVAHAAEABgQAAQECaGWEAQMEbGxvICEAAQAFY2xhc3MBKAABAARhLWlkAX0HhwEABgQAAQoEdGFpbIYBBwRib2xkAnt9hgEPBGxpbmsfeyJocmVmIjoieC5odG1sIiwidGFyZ2V0IjoiX2IifYQBEAV3b3JsZIYBFQRib2xkBG51bGyGARYEbGluawRudWxsRgECAWkEdHJ1ZcYBAwEEAWkEbnVsbKgBCAF3AmMyhwEBAwJicocBGwUBaCgAARwBawF3AXYBAQEIAQ==",
            Convert.ToBase64String(Y.EncodeStateAsUpdate(doc)));
    }

    [Fact]
    public void ElementsSurviveRoundTripThroughAnotherDocAndClone()
    {
        var d1 = Create(1);
        var f1 = d1.GetXmlFragment("x");
        var div = new YXmlElement("div");
        div.SetAttribute("id", "main");
        div.Insert(0, new AbstractType[] { new YXmlText("a"), new YXmlElement("span") });
        f1.Push(new AbstractType[] { div });
        ((YXmlElement)div.Get(1)!).Insert(0, new AbstractType[] { new YXmlText("b") });

        var d2 = Create(2);
        Sync(d1, d2);
        var f2 = d2.GetXmlFragment("x");
        Assert.Equal("""<div id="main">a<span>b</span></div>""", f2.ToString());
        var remoteDiv = Assert.IsType<YXmlElement>(f2.Get(0));
        Assert.Equal("div", remoteDiv.NodeName);
        Assert.Equal("main", remoteDiv.GetAttribute("id"));
        Assert.True(remoteDiv.HasAttribute("id"));

        var clone = (YXmlElement)remoteDiv.Clone();
        f2.InsertAfter(remoteDiv, new AbstractType[] { clone });
        Assert.Equal("""<div id="main">a<span>b</span></div><div id="main">a<span>b</span></div>""", f2.ToString());
        remoteDiv.RemoveAttribute("id");
        f2.Delete(0);
        Sync(d1, d2);
        Assert.Equal("""<div id="main">a<span>b</span></div>""", f1.ToString());
    }

    [Fact]
    public void DetachedTreesQueueChildrenAndAttributesUntilInserted()
    {
        var el = new YXmlElement("ul");
        var first = new YXmlElement("li");
        var third = new YXmlElement("li");
        el.Insert(0, new AbstractType[] { first, third });
        el.InsertAfter(first, new AbstractType[] { new YXmlText("2") });
        el.SetAttribute("b", "2");
        el.SetAttribute("a", "1");
        el.RemoveAttribute("b");
        Assert.Equal(3, el.Length);
        Assert.Throws<ArgumentException>(() => el.InsertAfter(new YXmlElement("x"), new AbstractType[] { new YXmlText("?") }));

        var doc = Create(1);
        doc.GetXmlFragment("x").Push(new AbstractType[] { el });
        Assert.Equal("""<ul a="1"><li></li>2<li></li></ul>""", el.ToString());
        var texts = el.CreateTreeWalker(t => t is YXmlText).ToList();
        Assert.Single(texts);
        Assert.Equal(new[] { "a" }, el.GetAttributes().Keys);
    }

    [Fact]
    public void HookClonesCopyNestedTypes()
    {
        var doc = Create(1);
        var f = doc.GetXmlFragment("x");
        var hook = new YXmlHook("embed");
        var nested = new YMap();
        nested.Set("n", 1L);
        hook.Set("data", nested);
        f.Push(new AbstractType[] { hook });
        var copy = (YXmlHook)hook.Clone();
        f.Push(new AbstractType[] { copy });
        Assert.Equal("embed", copy.HookName);
        Assert.NotSame(nested, copy.Get("data"));
        Assert.Equal("""{"data":{"n":1}}""", TypeTestJson.Value(copy.ToJson()));
        Assert.Equal("[object Object][object Object]", f.ToString());
    }

    [Fact]
    public void NonObjectAttributeValuesPrintAsJavaScriptWould()
    {
        // Captured from yjs 13.6.33: for...in over a string visits its indexes, over true or 5 nothing.
        var doc = Create(1);
        var f = doc.GetXmlFragment("x");
        var t = new YXmlText();
        f.Insert(0, new AbstractType[] { t });
        t.Insert(0, "ab", Attrs(("font", "xy"), ("b", true), ("n", 5L), ("arr", new List<object?> { 1L, null })));
        t.InsertEmbed(1, Attrs(("img", 1L)));
        var e = new YXmlElement("Div");
        f.Insert(1, new AbstractType[] { e });
        e.SetAttribute("z", new List<object?> { 1L, 2L });
        e.SetAttribute("y", Attrs(("a", 1L)));
        e.SetAttribute("x", null);
        e.SetAttribute("w", 1e21);
        e.SetAttribute("v", 0.000001);
        e.SetAttribute("u", 1e-7);
        Assert.Equal(
            """<arr 0="1" 1="null"><b><font 0="x" 1="y"><n>a</n></font></b></arr>[object Object]<arr 0="1" 1="null"><b><font 0="x" 1="y"><n>b</n></font></b></arr><div u="1e-7" v="0.000001" w="1e+21" x="null" y="[object Object]" z="1,2"></div>""",
            f.ToString());
    }
}
