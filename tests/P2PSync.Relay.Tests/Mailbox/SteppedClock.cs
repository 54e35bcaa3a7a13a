namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>
/// Wall-clock time that moves only when a test says so (envelope TTLs read GetUtcNow). Timers
/// stay on the system clock, so timeouts in the same host still fire normally.
/// </summary>
internal sealed class SteppedClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Lock _gate = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
    }
}
