namespace P2PSync.Node.Transport;

/// <summary>
/// Exponential backoff with jitter. Jitter keeps two nodes that lost each other at the same moment
/// from redialing in lockstep forever; the random source is injected (seeded in tests).
/// </summary>
internal sealed class ConnectionBackoff
{
    private readonly ConnectionManagerOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public ConnectionBackoff(ConnectionManagerOptions options, Random random)
    {
        _options = options;
        _random = random;
    }

    /// <summary>The delay before attempt number <paramref name="failures"/> + 1: base * 2^failures capped, times a factor in [0.5, 1).</summary>
    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(failures, 30);
        var raw = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        double factor;
        lock (_gate)
        {
            factor = 0.5 + (_random.NextDouble() * 0.5);
        }

        return TimeSpan.FromMilliseconds(raw * factor);
    }
}
