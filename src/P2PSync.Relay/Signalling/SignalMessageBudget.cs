namespace P2PSync.Relay.Signalling;

/// <summary>
/// Per-connection token bucket for incoming messages, on the relay's <see cref="TimeProvider"/>
/// (so tests can drive it) and without a timer: tokens are refilled lazily from the elapsed time
/// on each take, which keeps an idle connection at zero cost. Only the receive loop calls it.
/// </summary>
internal sealed class SignalMessageBudget
{
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _stamp;

    public SignalMessageBudget(TimeProvider time, int perSecond, int burst)
    {
        _time = time;
        _perSecond = Math.Max(1, perSecond);
        _burst = Math.Max(1, burst);
        _tokens = _burst;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Takes one token; false when the bucket is empty (the client is flooding).</summary>
    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_stamp, now);
        _stamp = now;
        _tokens = Math.Min(_burst, _tokens + elapsed.TotalSeconds * _perSecond);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
