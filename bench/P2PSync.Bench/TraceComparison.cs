namespace P2PSync.Bench;

/// <summary>Ours and yjs on one trace; either side is null when it failed, with the reason.</summary>
internal sealed record TraceComparison(string Trace, ImplementationResult? Ours, string? OursError, ImplementationResult? Yjs, string? YjsError)
{
    public bool Complete => Ours is not null && Yjs is not null;

    /// <summary>How many times faster we are (yjs time / our time); above 1 is better.</summary>
    public static double Speedup(double yjsMs, double oursMs) => oursMs > 0 ? yjsMs / oursMs : double.PositiveInfinity;
}
