using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>
/// Ending the connection: a failure (a layer failed or timed out), a close by the peer, or
/// <see cref="DisposeAsync"/>, which closes top-down: SCTP SHUTDOWN (bounded), DTLS close_notify, sockets.
/// </summary>
internal sealed partial class PeerConnection
{
    private bool _disposing;
    private Task? _teardown;

    /// <summary>
    /// Closes every channel, ends the association with SHUTDOWN (waiting at most
    /// <see cref="PeerConnectionOptions.ShutdownTimeout"/>), sends DTLS close_notify and closes the sockets.
    /// Safe to call more than once and from any state.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        bool waitForShutdown;
        lock (_gate)
        {
            if (_disposing)
            {
                waitForShutdown = false;
            }
            else
            {
                _disposing = true;
                waitForShutdown = _mux is { IsUp: true, IsDown: false };
                if (waitForShutdown)
                {
                    _mux!.Association.Shutdown(NowMs);
                    PumpLocked();
                }
            }
        }

        if (waitForShutdown)
        {
            await _associationDown.Task.WaitAsync(_options.ShutdownTimeout, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await TearDownAsync().ConfigureAwait(false);
        lock (_gate)
        {
            CloseLocked("the connection was closed by this side");
        }

        RaiseEvents();
    }

    /// <summary>A layer failed: Connected faults with the reason, channels close, the layers are torn down in the background.</summary>
    private void FailLocked(WebRtcLayer layer, string message)
    {
        if (_state is PeerConnectionState.Failed or PeerConnectionState.Closed)
        {
            return;
        }

        SetStateLocked(PeerConnectionState.Failed);
        _connected.TrySetException(new PeerConnectionException(message, layer));
        EndChannelsLocked(message);
        _ = TearDownAsync();
    }

    /// <summary>An orderly end (either side closed): channels close, state Closed, layers torn down.</summary>
    private void CloseLocked(string message)
    {
        SetStateLocked(PeerConnectionState.Closed);
        _connected.TrySetException(new PeerConnectionException($"closed before it connected: {message}"));
        EndChannelsLocked(message);
        _ = TearDownAsync();
    }

    private void EndChannelsLocked(string message)
    {
        if (_mux is { IsDown: false })
        {
            // Reports every channel closed through the mux's events, then AssociationDown.
            _mux.Association.HandleTransportClosed(TransportClosedReason.ClosedLocally);
        }

        foreach (var channel in _channels.Values.Concat(_waitingForRole).ToArray())
        {
            channel.MarkClosed(message);
        }

        _channels.Clear();
        _waitingForRole.Clear();
        _accepted.Writer.TryComplete();
        foreach (var waiter in _bufferWaiters)
        {
            waiter.TrySetResult();
        }

        _bufferWaiters.Clear();
    }

    /// <summary>Runs once: stops the loops and timers, close_notify, then the sockets.</summary>
    private Task TearDownAsync()
    {
        lock (_gate)
        {
            return _teardown ??= TearDownOnceAsync();
        }
    }

    private async Task TearDownOnceAsync()
    {
        // Let the send loop write what is queued (SHUTDOWN COMPLETE, the last SACK) before close_notify.
        await Task.Yield();
        _outgoing.Writer.TryComplete();
        await _sendLoop.WaitAsync(TimeSpan.FromMilliseconds(200), _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        IceTransport? ice;
        Dtls.DtlsSession? dtls;
        lock (_gate)
        {
            _connectTimer?.Dispose();
            _sctpTimer?.Dispose();
            ice = _ice;
            dtls = _dtls;
        }

        if (dtls is not null)
        {
            await dtls.DisposeAsync().ConfigureAwait(false);
        }

        await _stopLoops.CancelAsync().ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sendLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (ice is not null)
        {
            await ice.DisposeAsync().ConfigureAwait(false);
        }
    }
}
