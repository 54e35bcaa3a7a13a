using System.Text;
using System.Text.Json;
using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

public sealed class SignalPublishWriterTests
{
    private static string Write(string json, int clients)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(bytes);
        return Encoding.UTF8.GetString(SignalPublishWriter.Write(bytes, document.RootElement, clients));
    }

    [Fact]
    public void AppendsClients_KeepingEveryFieldInOrder() =>
        Assert.Equal(
            "{\"type\":\"publish\",\"topic\":\"r\",\"data\":{\"to\":\"b\",\"signal\":{\"sdp\":\"v=0\\r\\n\"}},\"clients\":3}",
            Write("{\"type\":\"publish\",\"topic\":\"r\",\"data\":{\"to\":\"b\",\"signal\":{\"sdp\":\"v=0\\r\\n\"}}}", 3));

    [Fact]
    public void ReplacesTheSendersClientsInPlace() =>
        Assert.Equal(
            "{\"type\":\"publish\",\"clients\":1,\"topic\":\"r\"}",
            Write("{\"type\":\"publish\",\"clients\":\"lots\",\"topic\":\"r\",\"clients\":[1]}", 1));

    [Fact]
    public void KeepsNumbersAndStringsAsSent() =>
        Assert.Equal(
            "{\"type\":\"publish\",\"topic\":\"r\",\"n\":1.50e3,\"s\":\"\\u00e9<&\",\"clients\":1}",
            Write("{\"type\":\"publish\",\"topic\":\"r\",\"n\":1.50e3,\"s\":\"\\u00e9<&\"}", 1));

    [Fact]
    public void SplicesAfterTheLastField_IgnoringTrailingWhitespace() =>
        Assert.Equal(
            "{ \"type\" : \"publish\", \"topic\":\"r\",\"clients\":123}",
            Write("{ \"type\" : \"publish\", \"topic\":\"r\" } \r\n", 123));

    [Fact]
    public void AnEscapedClientsKey_IsStillReplaced() =>
        Assert.Equal(
            "{\"type\":\"publish\",\"clients\":2,\"topic\":\"r\"}",
            Write("{\"type\":\"publish\",\"clien\\u0074s\":0,\"topic\":\"r\"}", 2));

    [Fact]
    public void EmptyObject_GetsOnlyClients() => Assert.Equal("{\"clients\":0}", Write("{}", 0));
}
