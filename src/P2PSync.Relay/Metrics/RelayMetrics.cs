using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace P2PSync.Relay.Metrics;

/// <summary>
/// The relay's counters and gauges, rendered as Prometheus text on /metrics. One singleton per
/// relay (not static) so every test host has its own numbers. Counters only ever grow; gauges
/// go up and down; sampled gauges ask their owner (the store) at render time so they are never stale.
/// Metric names are code constants, never client input, so they need no escaping; label values
/// (reject reasons) are also code constants.
/// </summary>
internal sealed class RelayMetrics
{
    private readonly ConcurrentDictionary<string, MetricCell> _cells = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SampledGauge> _sampled = new(StringComparer.Ordinal);

    /// <summary>Adds to a counter (created on first use).</summary>
    public void Count(string name, string help, long delta = 1) =>
        Cell(name, help, MetricKind.Counter, label: null).Add(delta);

    /// <summary>Counts one refusal of <paramref name="source"/> (e.g. "mailbox") for <paramref name="reason"/>.</summary>
    public void CountReject(string source, string reason) =>
        Cell("relay_rejects_total", "Requests and frames refused, by source and reason.", MetricKind.Counter,
            $"source=\"{source}\",reason=\"{reason}\"").Add(1);

    /// <summary>Moves a gauge up or down (e.g. open connections).</summary>
    public void Gauge(string name, string help, long delta) =>
        Cell(name, help, MetricKind.Gauge, label: null).Add(delta);

    /// <summary>Registers a gauge whose value is read from <paramref name="sample"/> at render time.</summary>
    public void RegisterSampledGauge(string name, string help, Func<long> sample) =>
        _sampled[name] = new SampledGauge(help, sample);

    /// <summary>The current value of a counter or gauge (0 if never touched); reject counters by "source/reason".</summary>
    public long Read(string name, string? label = null) =>
        _cells.TryGetValue(Key(name, label), out var cell) ? cell.Value : 0;

    public long ReadReject(string source, string reason) =>
        Read("relay_rejects_total", $"source=\"{source}\",reason=\"{reason}\"");

    /// <summary>Prometheus text exposition format 0.0.4, metrics sorted by name.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        var families = _cells.Values.GroupBy(c => c.Name).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var family in families)
        {
            var first = family.First();
            text.Append("# HELP ").Append(first.Name).Append(' ').Append(first.Help).Append('\n');
            text.Append("# TYPE ").Append(first.Name).Append(' ')
                .Append(first.Kind == MetricKind.Counter ? "counter" : "gauge").Append('\n');
            foreach (var cell in family.OrderBy(c => c.Label, StringComparer.Ordinal))
            {
                text.Append(cell.Name);
                if (cell.Label is not null) text.Append('{').Append(cell.Label).Append('}');
                text.Append(' ').Append(cell.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        foreach (var (name, gauge) in _sampled.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(gauge.Help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            text.Append(name).Append(' ').Append(gauge.Sample().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    private MetricCell Cell(string name, string help, MetricKind kind, string? label) =>
        _cells.GetOrAdd(Key(name, label), _ => new MetricCell(name, help, kind, label));

    private static string Key(string name, string? label) => label is null ? name : name + "{" + label + "}";
}
