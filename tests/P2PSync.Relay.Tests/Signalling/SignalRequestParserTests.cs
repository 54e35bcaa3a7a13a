using System.Text.Json;
using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

public sealed class SignalRequestParserTests
{
    private static SignalRequest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var request = SignalRequestParser.Parse(document.RootElement);
        // Copy what the tests read before the document goes away.
        return request with { Message = default };
    }

    [Fact]
    public void Subscribe_KeepsStringTopicsOnly()
    {
        var request = Parse("{\"type\":\"subscribe\",\"topics\":[\"a\",1,null,\"b\",{\"c\":1}]}");

        Assert.Equal(SignalRequestKind.Subscribe, request.Kind);
        Assert.Equal(["a", "b"], request.Topics);
    }

    [Theory]
    [InlineData("{\"type\":\"unsubscribe\"}")]
    [InlineData("{\"type\":\"unsubscribe\",\"topics\":null}")]
    [InlineData("{\"type\":\"unsubscribe\",\"topics\":0}")]
    [InlineData("{\"type\":\"unsubscribe\",\"topics\":\"\"}")]
    [InlineData("{\"type\":\"unsubscribe\",\"topics\":false}")]
    public void MissingOrFalsyTopics_MeanNoTopics(string json)
    {
        var request = Parse(json);

        Assert.Equal(SignalRequestKind.Unsubscribe, request.Kind);
        Assert.Empty(request.Topics);
    }

    [Fact]
    public void Publish_CarriesItsTopic()
    {
        var request = Parse("{\"topic\":\"room\",\"type\":\"publish\",\"data\":{\"x\":[1]}}");

        Assert.Equal(SignalRequestKind.Publish, request.Kind);
        Assert.Equal("room", request.Topic);
    }

    [Fact]
    public void Ping_IsPing() => Assert.Equal(SignalRequestKind.Ping, Parse("{\"type\":\"ping\",\"extra\":true}").Kind);

    [Theory]
    [InlineData("[]", nameof(SignalIgnoreReason.NotAnObject))]
    [InlineData("\"subscribe\"", nameof(SignalIgnoreReason.NotAnObject))]
    [InlineData("null", nameof(SignalIgnoreReason.NotAnObject))]
    [InlineData("{}", nameof(SignalIgnoreReason.MissingType))]
    [InlineData("{\"type\":\"\"}", nameof(SignalIgnoreReason.MissingType))]
    [InlineData("{\"type\":7}", nameof(SignalIgnoreReason.MissingType))]
    [InlineData("{\"type\":\"Subscribe\"}", nameof(SignalIgnoreReason.UnknownType))]
    [InlineData("{\"type\":\"pong\"}", nameof(SignalIgnoreReason.UnknownType))]
    [InlineData("{\"type\":\"subscribe\",\"topics\":\"room\"}", nameof(SignalIgnoreReason.TopicsNotAnArray))]
    [InlineData("{\"type\":\"subscribe\",\"topics\":{\"0\":\"room\"}}", nameof(SignalIgnoreReason.TopicsNotAnArray))]
    [InlineData("{\"type\":\"publish\"}", nameof(SignalIgnoreReason.MissingTopic))]
    [InlineData("{\"type\":\"publish\",\"topic\":\"\"}", nameof(SignalIgnoreReason.MissingTopic))]
    [InlineData("{\"type\":\"publish\",\"topic\":5}", nameof(SignalIgnoreReason.MissingTopic))]
    public void BadMessages_AreIgnoredWithTheirReason(string json, string reason)
    {
        var request = Parse(json);

        Assert.Equal(SignalRequestKind.Ignored, request.Kind);
        Assert.Equal(Enum.Parse<SignalIgnoreReason>(reason), request.IgnoreReason);
    }
}
