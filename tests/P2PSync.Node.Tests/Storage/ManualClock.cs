namespace P2PSync.Node.Tests.Storage;

/// <summary>A TimeProvider the test moves by hand, so stored times are exact.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long nowMs;

    public ManualClock(long startMs = 1_700_000_000_000)
    {
        nowMs = startMs;
    }

    public long NowMs => Interlocked.Read(ref nowMs);

    public void Advance(long ms) => Interlocked.Add(ref nowMs, ms);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
