using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

public sealed class SignalTextCheckTests
{
    [Theory]
    [InlineData("{\"type\":\"ping\"}")]
    [InlineData("{\"s\":\"\\ud83d\\ude00 \\u00e9 \\n\"}")]
    [InlineData("{\"s\":\"😀\"}")]
    public void WellFormedText_Passes(string json) =>
        Assert.Equal(SignalIgnoreReason.None, SignalTextCheck.Check(System.Text.Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{\"s\":\"\\ud800\"}")]
    [InlineData("{\"s\":\"\\ude00\\ud83d\"}")]
    [InlineData("{\"\\ud800\":1}")]
    public void LoneSurrogateEscapes_AreRefused(string json) =>
        Assert.Equal(SignalIgnoreReason.LoneSurrogate, SignalTextCheck.Check(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void InvalidUtf8_IsRefused() =>
        Assert.Equal(SignalIgnoreReason.InvalidUtf8, SignalTextCheck.Check([.. "{\"s\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8]));

    [Fact]
    public void BrokenJsonWithSurrogateEscapes_IsMalformed() =>
        Assert.Equal(SignalIgnoreReason.MalformedJson, SignalTextCheck.Check("{\"s\":\"\\ud83d\\ude00\""u8));

    [Theory]
    [InlineData("{\"s\":\"\\\\ud800\"}")]
    [InlineData("{\"s\":\"\\u00e9\\u")]
    public void EscapesThatAreNotLoneSurrogates_Pass(string json) =>
        Assert.Equal(SignalIgnoreReason.None, SignalTextCheck.Check(System.Text.Encoding.UTF8.GetBytes(json)));
}
