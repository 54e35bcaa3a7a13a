using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>The JavaScript semantics the type algorithms rely on (===, equalAttrs, String(), key order).</summary>
public sealed class JsSemanticsTests
{
    [Fact]
    public void StrictEqualityComparesNumbersByValueAndObjectsByReference()
    {
        Assert.True(JsEquality.StrictEquals(1L, 1.0));
        Assert.True(JsEquality.StrictEquals(3, 3L));
        Assert.False(JsEquality.StrictEquals(double.NaN, double.NaN));
        Assert.False(JsEquality.StrictEquals(null, Undefined.Value));
        Assert.True(JsEquality.StrictEquals(Undefined.Value, Undefined.Value));
        Assert.False(JsEquality.StrictEquals("1", 1L));
        var dict = new Dictionary<string, object?>();
        Assert.True(JsEquality.StrictEquals(dict, dict));
        Assert.False(JsEquality.StrictEquals(dict, new Dictionary<string, object?>()));
    }

    [Fact]
    public void EqualAttrsOpensExactlyOneLevel()
    {
        var inner = new List<object?> { 1L };
        var a = new Dictionary<string, object?> { ["x"] = 1L, ["y"] = inner };
        var b = new Dictionary<string, object?> { ["x"] = 1.0, ["y"] = inner };
        Assert.True(JsEquality.EqualAttrs(a, b));
        var c = new Dictionary<string, object?> { ["x"] = 1L, ["y"] = new List<object?> { 1L } };
        Assert.False(JsEquality.EqualAttrs(a, c));
        Assert.True(JsEquality.EqualAttrs(new List<object?> { "a", 2L }, new List<object?> { "a", 2.0 }));
        Assert.False(JsEquality.EqualAttrs(new Dictionary<string, object?> { ["x"] = null }, new Dictionary<string, object?>()));
        Assert.True(JsEquality.EqualAttrs(new Dictionary<string, object?>(), new List<object?>()));
        Assert.False(JsEquality.EqualAttrs(null, new Dictionary<string, object?>()));
        Assert.True(JsEquality.EqualAttrs(null, null));
    }

    [Fact]
    public void StringConversionFollowsJavaScript()
    {
        Assert.Equal("1e+21", JsString.From(1e21));
        Assert.Equal("0.1", JsString.From(0.1));
        Assert.Equal("100", JsString.From(100L));
        Assert.Equal("1,,a", JsString.From(new List<object?> { 1L, null, "a" }));
        Assert.Equal("[object Object]", JsString.From(new Dictionary<string, object?>()));
        Assert.Equal("1,2", JsString.From(new byte[] { 1, 2 }));
        Assert.Equal("undefined", JsString.From(Undefined.Value));
        Assert.Equal("null", JsString.From(null));
        Assert.Equal("true", JsString.From(true));
    }

    [Fact]
    public void ObjectKeysPutArrayIndexesFirst()
    {
        var d = new Dictionary<string, object?> { ["b"] = 1L, ["10"] = 2L, ["a"] = 3L, ["2"] = 4L, ["01"] = 5L };
        Assert.Equal(new[] { "2", "10", "b", "a", "01" }, JsObjectOrder.Keys(d));
        var o = JsObjectOrder.ToObject(d, d.Count);
        Assert.Equal(new[] { "2", "10", "b", "a", "01" }, o.Keys);
    }

    [Fact]
    public void EventHandlerRemovalDuringARoundDoesNotSkipListeners()
    {
        var handler = new EventListeners<int, int>();
        var calls = new List<string>();
        Action<int, int>? second = null;
        Action<int, int> first = (_, _) =>
        {
            calls.Add("first");
            handler.Remove(second!);
        };
        second = (_, _) => calls.Add("second");
        handler.Add(first);
        handler.Add(second);
        handler.Call(0, 0);
        handler.Call(0, 0);
        Assert.Equal(new[] { "first", "second", "first" }, calls);
    }

    [Fact]
    public void DeltaOpsCompareStructurally()
    {
        var a = DeltaOp.InsertOp("x", new Dictionary<string, object?> { ["b"] = true });
        var b = DeltaOp.InsertOp("x", new Dictionary<string, object?> { ["b"] = true });
        Assert.Equal(a, b);
        Assert.NotEqual(a, DeltaOp.InsertOp("x"));
        Assert.Equal(DeltaOp.RetainOp(3), DeltaOp.RetainOp(3));
        Assert.NotEqual(DeltaOp.RetainOp(3), DeltaOp.DeleteOp(3));
        Assert.Equal("{insert:\"x\",attributes:{b:true}}", a.ToString());
    }
}
