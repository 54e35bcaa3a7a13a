namespace P2PSync.Bench;

/// <summary>One measured replay of a trace by one implementation.</summary>
internal readonly record struct TraceRun(double ApplyMs, double EncodeMs, double LoadMs, long UpdateBytes, long HeapBytes);
