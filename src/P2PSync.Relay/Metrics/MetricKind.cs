namespace P2PSync.Relay.Metrics;

internal enum MetricKind
{
    Counter,
    Gauge,
}
