namespace P2PSync.Bench;

/// <summary>Where and how a bench ran, for the report header.</summary>
internal sealed record BenchEnvironment(DateTimeOffset When, int Cores, string Os, string DotNet, string Node, int Runs);
