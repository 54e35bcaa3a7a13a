using P2PSync.Relay.Metrics;
using P2PSync.Relay.Tests.Mailbox;

namespace P2PSync.Relay.Tests.Metrics;

public sealed class RelayMetricsTests
{
    [Fact]
    public void RenderWritesHelpTypeAndSortedSeries()
    {
        var metrics = new RelayMetrics();
        metrics.Count("b_total", "B things.", 3);
        metrics.Gauge("a_open", "Open things.", 2);
        metrics.Gauge("a_open", "Open things.", -1);
        metrics.CountReject("mailbox", "quota");
        metrics.CountReject("mailbox", "quota");
        metrics.CountReject("signal", "malformed");
        metrics.RegisterSampledGauge("z_stored", "Stored things.", () => 42);

        var text = metrics.Render();

        Assert.Equal(
            "# HELP a_open Open things.\n# TYPE a_open gauge\na_open 1\n" +
            "# HELP b_total B things.\n# TYPE b_total counter\nb_total 3\n" +
            "# HELP relay_rejects_total Requests and frames refused, by source and reason.\n# TYPE relay_rejects_total counter\n" +
            "relay_rejects_total{source=\"mailbox\",reason=\"quota\"} 2\n" +
            "relay_rejects_total{source=\"signal\",reason=\"malformed\"} 1\n" +
            "# HELP z_stored Stored things.\n# TYPE z_stored gauge\nz_stored 42\n",
            text);
        Assert.Equal(2, metrics.ReadReject("mailbox", "quota"));
        Assert.Equal(0, metrics.Read("never_touched"));
    }

    [Fact]
    public async Task MetricsEndpointReportsTheMailboxAfterAScenario()
    {
        await using var relay = new MailboxRelayFactory(("Relay:MaxEnvelopeBytes", "100"));
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var reader = await relay.ConnectAuthenticatedAsync();
        await reader.FetchAsync(TestBytes.Topic(1));
        await poster.PostAsync(TestBytes.Topic(1), new byte[50]);
        var acked = await poster.PostAsync(TestBytes.Topic(1), new byte[50]);
        await poster.PostAsync(TestBytes.Topic(2), new byte[50]);
        await reader.AckAsync(TestBytes.Topic(1), acked);
        await poster.SendAsync(MailboxTestClient.PostFrame(TestBytes.Topic(1), new byte[101]));
        await poster.ExpectErrorAsync("too_large");
        using var http = relay.CreateClient();

        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var values = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => long.Parse(l[(l.LastIndexOf(' ') + 1)..]));

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, values["relay_mailbox_connections"]);
        Assert.Equal(1, values["relay_mailbox_topics"]);
        Assert.Equal(1, values["relay_mailbox_envelopes_stored"]);
        Assert.Equal(3, values["relay_mailbox_posts_total"]);
        Assert.Equal(2, values["relay_mailbox_envelopes_deleted_total"]);
        Assert.True(values["relay_mailbox_bytes_in_total"] > 150);
        Assert.True(values["relay_mailbox_bytes_out_total"] > 100);
        Assert.Equal(1, values["relay_rejects_total{source=\"mailbox\",reason=\"too_large\"}"]);
    }
}
