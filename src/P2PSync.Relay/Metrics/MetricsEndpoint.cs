namespace P2PSync.Relay.Metrics;

internal static class MetricsEndpoint
{
    /// <summary>GET /metrics: Prometheus text exposition of <see cref="RelayMetrics"/>.</summary>
    public static IEndpointRouteBuilder MapRelayMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", (RelayMetrics metrics) =>
            Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return routes;
    }
}
