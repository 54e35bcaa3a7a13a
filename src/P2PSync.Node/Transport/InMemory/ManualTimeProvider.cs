namespace P2PSync.Node.Transport.InMemory;

/// <summary>
/// A clock that moves only when told to, for deterministic tests of code that takes a
/// <see cref="TimeProvider"/> (Microsoft.Extensions.TimeProvider.Testing is not available to us).
/// Timers fire synchronously inside <see cref="Advance"/>, earliest first, ties in creation
/// order, with the clock set to each timer's due time while it runs.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _nextSequence;

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    // Stopwatch-style timestamps in ticks of the manual clock.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>When the earliest armed timer is due, or null if none is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return Earliest()?.Due;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "time only moves forward");
        }

        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = Earliest();
                if (next is null || next.Due > target)
                {
                    _now = target;
                    return;
                }

                _now = next.Due!.Value;
                next.Fired();
            }

            next.Invoke();
        }
    }

    /// <summary>Moves the clock to the next timer's due time (if any) and fires it and any others due then.</summary>
    public bool AdvanceToNextTimer()
    {
        var due = NextDue;
        if (due is null)
        {
            return false;
        }

        Advance(due.Value - GetUtcNow());
        return true;
    }

    internal void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                timer.Due = null;
                return;
            }

            timer.Due = _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
            timer.Sequence = _nextSequence++;
            _timers.Add(timer);
        }
    }

    internal void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            timer.Due = null;
        }
    }

    private ManualTimer? Earliest()
    {
        ManualTimer? best = null;
        foreach (var timer in _timers)
        {
            if (best is null || timer.Due < best.Due || (timer.Due == best.Due && timer.Sequence < best.Sequence))
            {
                best = timer;
            }
        }

        return best;
    }

    // Under _gate: a one-shot timer disarms; a periodic one moves to its next period.
    internal void Reschedule(ManualTimer timer)
    {
        _timers.Remove(timer);
        if (timer.Period is { } period && period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            timer.Due = _now + period;
            timer.Sequence = _nextSequence++;
            _timers.Add(timer);
        }
        else
        {
            timer.Due = null;
        }
    }
}
