namespace P2PSync.Node.Transport;

/// <summary>
/// The state of one device's dial loop in <see cref="ConnectionManager"/>: how to stop it, and a
/// kick that cuts a backoff wait short. The kick exists because a device seen on the LAN right now
/// should be dialed at once, not after the minutes a long backoff may still have to run.
/// </summary>
internal sealed class ConnectionManagerDialLoop
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _kick = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionManagerDialLoop(CancellationToken parent)
    {
        Cancel = CancellationTokenSource.CreateLinkedTokenSource(parent);
    }

    /// <summary>Stops the loop. Never disposed: a late Cancel() from a peer-list change must not throw.</summary>
    public CancellationTokenSource Cancel { get; }

    /// <summary>Asks the loop to dial now with a fresh backoff; remembered if the loop is busy dialing.</summary>
    public void Kick()
    {
        lock (_gate)
        {
            _kick.TrySetResult();
        }
    }

    /// <summary>Forgets a pending kick (e.g. one that arrived while a connection was up).</summary>
    public void ClearKick() => TakeKick();

    /// <summary>
    /// Waits <paramref name="delay"/> or until kicked, whichever comes first. True = kicked (the
    /// kick is consumed). Throws <see cref="OperationCanceledException"/> when the loop is stopped.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        if (TakeKick())
        {
            return true;
        }

        Task kicked;
        lock (_gate)
        {
            kicked = _kick.Task;
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(delay, time, stopDelay.Token);
        var first = await Task.WhenAny(kicked, elapsed).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == kicked && TakeKick();
    }

    private bool TakeKick()
    {
        lock (_gate)
        {
            if (!_kick.Task.IsCompleted)
            {
                return false;
            }

            _kick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }
}
