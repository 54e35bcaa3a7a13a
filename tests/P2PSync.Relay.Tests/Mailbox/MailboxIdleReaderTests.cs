using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PSync.Relay.Mailbox;
using P2PSync.Relay.Metrics;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>Mailbox:ReaderIdleDays through the running relay: a device that went away for good stops holding envelopes.</summary>
public sealed class MailboxIdleReaderTests
{
    [Fact]
    public async Task ADeviceThatStopsReadingNoLongerHoldsEnvelopesTheOthersAcked()
    {
        await using var relay = new MailboxRelayFactory(("Mailbox:ReaderIdleDays", "2"), ("Relay:MaxTtlSeconds", "2592000"));
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var staying = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(11);
        await using (var leaving = await relay.ConnectAuthenticatedAsync())
        {
            await leaving.FetchAsync(topic);
        }

        await staying.FetchAsync(topic);
        var cursor = await poster.PostAsync(topic, [1, 2, 3], ttlSeconds: 10 * 24 * 3600);
        relay.Clock.Advance(TimeSpan.FromDays(1));
        await staying.AckAsync(topic, cursor);
        var store = relay.Services.GetRequiredService<IMailboxStore>();
        var sweeper = relay.Services.GetRequiredService<ExpirySweeper>();
        var metrics = relay.Services.GetRequiredService<RelayMetrics>();

        var whileStillCounting = sweeper.SweepOnce();
        var heldWhileCounting = store.CountEnvelopes();
        relay.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var afterIdle = sweeper.SweepOnce();

        Assert.Equal(0, whileStillCounting);
        Assert.Equal(1, heldWhileCounting);
        Assert.Equal(1, afterIdle);
        Assert.Equal(0, store.CountEnvelopes());
        Assert.Equal(1, metrics.Read(MailboxMetricNames.ReadersForgotten));
        using var http = relay.CreateClient();
        Assert.Contains("relay_mailbox_readers_forgotten_total 1\n", await http.GetStringAsync("/metrics"));
        Assert.Contains("forgot 1 readers idle for 2 days", relay.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultIsThirtyDays()
    {
        await using var relay = new MailboxRelayFactory();
        using var http = relay.CreateClient();

        Assert.Equal(30, relay.Services.GetRequiredService<MailboxOptions>().ReaderIdleDays);
        Assert.Contains("relay_mailbox_readers_forgotten_total 0\n", await http.GetStringAsync("/metrics"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3651")]
    public async Task AnIdleTimeOutsideOneDayToTenYearsStopsTheRelayFromStarting(string days)
    {
        await using var relay = new MailboxRelayFactory(("Mailbox:ReaderIdleDays", days));

        var refused = Assert.Throws<OptionsValidationException>(() => relay.CreateClient());

        Assert.Contains(MailboxOptions.Requirement, refused.Message, StringComparison.Ordinal);
    }
}
