namespace P2PSync.SpacesCryptoBench;

/// <summary>Per-round microseconds per operation for one payload size, floor and ours measured in the same rounds.</summary>
internal sealed record SizeResult(
    string Label,
    int PayloadBytes,
    int OpsPerRound,
    IReadOnlyList<double> FloorSealUs,
    IReadOnlyList<double> OurSealUs,
    IReadOnlyList<double> FloorOpenUs,
    IReadOnlyList<double> OurOpenUs);
