using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2PSync.Relay.Tests.Signalling;

public sealed class SignalOptionsTests
{
    [Theory]
    [InlineData("Signal:MaxMessageBytes", "0")]
    [InlineData("Signal:MaxTopicsPerConnection", "-1")]
    [InlineData("Signal:SendQueueCapacity", "0")]
    [InlineData("Signal:IdleTimeout", "00:00:00")]
    [InlineData("Signal:ConnectWindow", "-00:00:01")]
    public async Task UnusableLimits_StopTheRelayAtStartup(string key, string value)
    {
        await using var relay = new SignalRelayFactory((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => relay.Server);

        Assert.Contains("Signal options", error.Message);
    }

    [Fact]
    public async Task Limits_ComeFromConfiguration()
    {
        await using var relay = new SignalRelayFactory(("Signal:MaxTopicBytes", "77"), ("Signal:IdleTimeout", "00:02:00"));

        var options = relay.Services.GetRequiredService<IOptions<P2PSync.Relay.Signalling.SignalOptions>>().Value;

        Assert.Equal(77, options.MaxTopicBytes);
        Assert.Equal(TimeSpan.FromMinutes(2), options.IdleTimeout);
        Assert.Equal(256, options.MaxTopicsPerConnection);
    }
}
