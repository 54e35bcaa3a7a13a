namespace P2PSync.Relay.Metrics;

/// <summary>A gauge read from its owner at render time (e.g. envelopes stored, read from the store).</summary>
internal sealed record SampledGauge(string Help, Func<long> Sample);
