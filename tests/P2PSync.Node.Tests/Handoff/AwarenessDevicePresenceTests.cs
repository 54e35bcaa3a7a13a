using System.Text.Json;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Handoff;
using P2PSync.Node.Tests.Security;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>This device's own awareness state per document of its activity.</summary>
public sealed class AwarenessDevicePresenceTests
{
    private static readonly DeviceId Self = AwarenessNetwork.DeviceOf(5, 0);

    [Fact]
    public void ClientId_IsDeterministic_AboveYjsRange_AndJavaScriptSafe()
    {
        for (var i = 0; i < 500; i++)
        {
            var device = AwarenessNetwork.DeviceOf(6, i);
            var id = DevicePresence.ClientIdOf(device);
            Assert.Equal(id, DevicePresence.ClientIdOf(DeviceId.Parse(device.ToString())));
            Assert.InRange(id, 1UL << 32, AwarenessHub.MaxSafeInteger);
        }

        Assert.NotEqual(DevicePresence.ClientIdOf(AwarenessNetwork.DeviceOf(6, 0)), DevicePresence.ClientIdOf(AwarenessNetwork.DeviceOf(6, 1)));
    }

    [Fact]
    public void StateJson_CarriesUserDeviceAndCursorAsYjsRelativePositionJson()
    {
        var doc = new Doc(new DocOptions { ClientId = 77 });
        doc.GetText("text").Insert(0, "hello world");
        var head = ActivityPositions.FromIndex(doc, 5);
        var anchor = ActivityPositions.FromIndex(doc, 2);

        var json = DevicePresence.StateJson(Self, "laptop", new ActivityDocument("doc1", head, anchor, null));

        using var parsed = JsonDocument.Parse(json);
        var root = parsed.RootElement;
        Assert.Equal("laptop", root.GetProperty("user").GetProperty("name").GetString());
        Assert.StartsWith("#", root.GetProperty("user").GetProperty("color").GetString(), StringComparison.Ordinal);
        Assert.Equal(Self.ToString(), root.GetProperty("device").GetProperty("id").GetString());
        Assert.Equal(Self.ToString(), DevicePresence.DeviceIdOf(json));
        var cursor = root.GetProperty("cursor");
        Assert.Equal(5, Resolve(doc, cursor.GetProperty("head")));
        Assert.Equal(2, Resolve(doc, cursor.GetProperty("anchor")));
    }

    [Fact]
    public void StateJson_WithoutCursor_HasCursorNull_AndWithoutSelection_AnchorIsTheCursor()
    {
        var doc = new Doc(new DocOptions { ClientId = 78 });
        doc.GetText("text").Insert(0, "abc");

        using var none = JsonDocument.Parse(DevicePresence.StateJson(Self, "", new ActivityDocument("doc1", null, null, null)));
        Assert.Equal(JsonValueKind.Null, none.RootElement.GetProperty("cursor").ValueKind);
        Assert.Equal(Self.ToShortString(), none.RootElement.GetProperty("user").GetProperty("name").GetString());

        using var caret = JsonDocument.Parse(DevicePresence.StateJson(Self, "pc", new ActivityDocument("doc1", ActivityPositions.FromIndex(doc, 1), null, null)));
        Assert.Equal(1, Resolve(doc, caret.RootElement.GetProperty("cursor").GetProperty("anchor")));
    }

    [Fact]
    public void DeviceIdOf_IsNullForStatesThatAreNotADevicesOwn()
    {
        Assert.Null(DevicePresence.DeviceIdOf("{\"user\":{\"name\":\"x\"}}"));
        Assert.Null(DevicePresence.DeviceIdOf("[1]"));
        Assert.Null(DevicePresence.DeviceIdOf("{\"device\":{\"id\":5}}"));
        Assert.Null(DevicePresence.DeviceIdOf("{broken"));
    }

    [Fact]
    public void Publisher_FollowsTheActivity_AddsChangesAndWithdraws()
    {
        var hub = new AwarenessHub(new ManualTimeProvider());
        var publisher = new DevicePresencePublisher(hub, Self, "laptop");
        var id = publisher.ClientId;

        publisher.Publish(Activity(1, "doc1", "doc2"));
        Assert.Equal(["doc1", "doc2"], hub.DocumentsOpenOn(Self));

        publisher.Publish(Activity(2, "doc2", "doc3"));
        Assert.Equal(["doc2", "doc3"], hub.DocumentsOpenOn(Self));
        Assert.Empty(hub.States("doc1"));
        Assert.Equal(id, Assert.Single(hub.States("doc3")).ClientId);

        publisher.Publish(Activity(3, "doc2") with { HandedOffTo = AwarenessNetwork.DeviceOf(5, 1).ToString() });
        Assert.Empty(hub.DocumentsOpenOn(Self));
    }

    private static Activity Activity(long version, params string[] docs) =>
        new(version, version, docs.Select(d => new ActivityDocument(d, null, null, null)).ToList(), null, null, null);

    private static int? Resolve(Doc doc, JsonElement position)
    {
        var map = ToDictionary(position);
        var rpos = Y.CreateRelativePositionFromJson(map);
        return Y.CreateAbsolutePositionFromRelativePosition(rpos, doc)?.Index;
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement element) =>
        element.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind switch
            {
                JsonValueKind.Object => (object?)ToDictionary(p.Value),
                JsonValueKind.Number => p.Value.GetInt64(),
                JsonValueKind.String => p.Value.GetString(),
                _ => null,
            });
}
