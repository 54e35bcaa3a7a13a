using System.Runtime.InteropServices;
using System.Threading.Channels;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>
/// The data path: ICE state drives the DTLS start, DTLS up starts SCTP, one receive loop feeds
/// decrypted records to the association, one send loop writes its packets to DTLS in order, and
/// one timer runs the association's timers. All association calls happen under <c>_gate</c>.
/// </summary>
internal sealed partial class PeerConnection
{
    // Larger than any SCTP packet a peer may send in one DTLS record (records are at most 16 KiB).
    private const int ReceiveBufferSize = 17 * 1024;

    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopLoops = new();
    private ITimer? _sctpTimer;
    private ITimer? _connectTimer;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private bool _dtlsStarted;
    private bool _sctpStarted;

    private void StartConnectTimerLocked() =>
        _connectTimer = _time.CreateTimer(_ => OnConnectTimeout(), null, _options.ConnectTimeout, Timeout.InfiniteTimeSpan);

    private void OnIceState()
    {
        lock (_gate)
        {
            if (_disposing || _ice is null || _state is PeerConnectionState.Closed or PeerConnectionState.Failed)
            {
                return;
            }

            // The state now, not the one in the event: these handlers run on the thread pool and two
            // of them may swap places, so each acts on the latest state (an enum read is atomic).
            var state = _ice.Agent.State;

            switch (state)
            {
                case IceConnectionState.Connected or IceConnectionState.Completed:
                    if (_state == PeerConnectionState.Disconnected)
                    {
                        SetStateLocked(PeerConnectionState.Connected);
                    }

                    StartDtlsIfReadyLocked();
                    break;
                case IceConnectionState.Disconnected when _state == PeerConnectionState.Connected:
                    SetStateLocked(PeerConnectionState.Disconnected);
                    break;
                case IceConnectionState.Failed:
                    FailLocked(WebRtcLayer.Ice, _sctpStarted
                        ? "ICE consent expired: the peer stopped answering on the selected pair"
                        : "ICE failed: no candidate pair worked");
                    break;
            }
        }

        RaiseEvents();
    }

    /// <summary>DTLS starts once the SDP gave us a role and ICE has a pair to send on (notes §0.4, §0.5).</summary>
    private void StartDtlsIfReadyLocked()
    {
        if (_dtlsStarted || _negotiated is null || _dtls is null || _ice is null
            || _ice.Agent.State is not (IceConnectionState.Connected or IceConnectionState.Completed))
        {
            return;
        }

        _dtlsStarted = true;
        var dtls = _dtls;
        dtls.Start(_negotiated.LocalDtlsRole, _negotiated.RemoteFingerprints);
        dtls.Connected.ContinueWith(t => OnDtlsDone(t), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void OnDtlsDone(Task handshake)
    {
        lock (_gate)
        {
            if (_disposing || _state is PeerConnectionState.Closed or PeerConnectionState.Failed)
            {
                return;
            }

            if (!handshake.IsCompletedSuccessfully)
            {
                var why = handshake.Exception?.InnerException?.Message ?? _dtls!.ClosedMessage;
                FailLocked(WebRtcLayer.Dtls, $"the DTLS handshake failed: {why}");
            }
            else
            {
                // SCTP is symmetric here: both sides send INIT as soon as DTLS is up and the
                // association settles the collision (notes §0.7, §3.3).
                _sctpStarted = true;
                _sendLoop = Task.Run(SendLoopAsync);
                _receiveLoop = Task.Run(ReceiveLoopAsync);
                _mux!.Association.Connect(NowMs);
                PumpLocked();
            }
        }

        RaiseEvents();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[ReceiveBufferSize];
        var dtls = _dtls!;
        while (true)
        {
            int length;
            try
            {
                length = await dtls.ReceiveAsync(buffer, _stopLoops.Token).ConfigureAwait(false);
            }
            catch (TransportClosedException e)
            {
                lock (_gate)
                {
                    // Chromium closes by tearing DTLS down without SHUTDOWN (notes §3.6): the association ends with it.
                    _mux!.Association.HandleTransportClosed(e.Reason);
                    PumpLocked();
                }

                RaiseEvents();
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                _mux!.HandleInput(buffer.AsSpan(0, length), NowMs);
                PumpLocked();
            }

            RaiseEvents();
        }
    }

    private async Task SendLoopAsync()
    {
        var dtls = _dtls!;
        try
        {
            await foreach (var packet in _outgoing.Reader.ReadAllAsync(_stopLoops.Token).ConfigureAwait(false))
            {
                await dtls.SendAsync(packet, _stopLoops.Token).ConfigureAwait(false);
            }
        }
        catch (TransportClosedException)
        {
            // The receive loop sees the same end and tells the association.
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    private void OnSctpTimer()
    {
        lock (_gate)
        {
            if (_mux is null)
            {
                return;
            }

            _mux.HandleTimeout(NowMs);
            PumpLocked();
        }

        RaiseEvents();
    }

    /// <summary>
    /// After every association call: hands its packets to the send loop (in order), re-arms its timer,
    /// and wakes senders waiting for the buffer to drain.
    /// </summary>
    private void PumpLocked()
    {
        if (_mux is null)
        {
            return;
        }

        var association = _mux.Association;
        while (association.TryDequeueOutput(out var packet))
        {
            // The association hands out a packet it never touches again: no copy needed.
            var bytes = MemoryMarshal.TryGetArray(packet, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : packet.ToArray();
            _outgoing.Writer.TryWrite(bytes);
        }

        if (association.NextTimeoutMs is { } at)
        {
            _sctpTimer ??= _time.CreateTimer(_ => OnSctpTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _sctpTimer.Change(TimeSpan.FromMilliseconds(Math.Max(0, at - NowMs)), Timeout.InfiniteTimeSpan);
        }
        else
        {
            _sctpTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (_bufferWaiters.Count > 0 && (association.BufferedAmount <= _options.SendHighWaterMark || _mux.IsDown))
        {
            foreach (var waiter in _bufferWaiters)
            {
                waiter.TrySetResult();
            }

            _bufferWaiters.Clear();
        }
    }

    private void OnConnectTimeout()
    {
        lock (_gate)
        {
            if (_disposing || _state is not (PeerConnectionState.New or PeerConnectionState.Connecting))
            {
                return;
            }

            var limit = $"{_options.ConnectTimeout.TotalSeconds:0.#} s";
            var agent = _ice?.Agent;
            if (_negotiated is null)
            {
                FailLocked(WebRtcLayer.Sdp, $"no remote description within {limit}");
            }
            else if (agent is null || agent.State is not (IceConnectionState.Connected or IceConnectionState.Completed))
            {
                FailLocked(WebRtcLayer.Ice, $"ICE did not connect within {limit} (state {agent?.State}, {agent?.Pairs.Count ?? 0} pairs, {agent?.RemoteCandidates.Count ?? 0} remote candidates)");
            }
            else if (_dtls is null || !_dtls.Connected.IsCompletedSuccessfully)
            {
                FailLocked(WebRtcLayer.Dtls, $"the DTLS handshake did not finish within {limit} (ICE {agent.State}, {_dtls?.DatagramsReceived ?? 0} DTLS datagrams received)");
            }
            else
            {
                FailLocked(WebRtcLayer.Sctp, $"the SCTP association did not come up within {limit} (state {_mux?.Association.State})");
            }
        }

        RaiseEvents();
    }
}
