namespace P2PSync.Node.Transport.InMemory;

/// <summary>A timer of <see cref="ManualTimeProvider"/>; it fires only inside the provider's Advance.</summary>
internal sealed class ManualTimer : ITimer
{
    private readonly ManualTimeProvider _provider;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private bool _disposed;

    internal ManualTimer(ManualTimeProvider provider, TimerCallback callback, object? state)
    {
        _provider = provider;
        _callback = callback;
        _state = state;
    }

    internal DateTimeOffset? Due { get; set; }

    internal long Sequence { get; set; }

    internal TimeSpan? Period { get; private set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        Period = period;
        _provider.Schedule(this, dueTime);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        _provider.Remove(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // Called by the provider under its lock, just before Invoke.
    internal void Fired() => _provider.Reschedule(this);

    internal void Invoke()
    {
        if (!_disposed)
        {
            _callback(_state);
        }
    }
}
