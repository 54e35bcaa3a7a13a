namespace P2PSync.Bench;

/// <summary>What one implementation did on one trace: its measured runs and the bytes it produced.</summary>
internal sealed record ImplementationResult(IReadOnlyList<TraceRun> Runs, string UpdateSha256)
{
    public double ApplyMs => Median.Of(Runs, r => r.ApplyMs);

    public double EncodeMs => Median.Of(Runs, r => r.EncodeMs);

    public double LoadMs => Median.Of(Runs, r => r.LoadMs);

    public double UpdateBytes => Median.Of(Runs, r => r.UpdateBytes);

    public double HeapBytes => Median.Of(Runs, r => r.HeapBytes);
}
