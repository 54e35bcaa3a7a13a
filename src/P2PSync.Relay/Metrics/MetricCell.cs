namespace P2PSync.Relay.Metrics;

/// <summary>One time series: a metric name plus an optional label set, updated with Interlocked.</summary>
internal sealed class MetricCell(string name, string help, MetricKind kind, string? label)
{
    private long _value;

    public string Name { get; } = name;
    public string Help { get; } = help;
    public MetricKind Kind { get; } = kind;
    public string? Label { get; } = label;
    public long Value => Interlocked.Read(ref _value);

    public void Add(long delta) => Interlocked.Add(ref _value, delta);
}
