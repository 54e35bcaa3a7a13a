using System.Text;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Graceful shutdown (RFC 9260 §9.2, notes §3.6) and ABORT. SHUTDOWN waits until everything we
/// queued is acknowledged; T2 retransmits SHUTDOWN / SHUTDOWN ACK and counts toward Max.Retrans.
/// </summary>
internal sealed partial class Association
{
    private long? _t2At;
    private bool _shutdownByUs;

    /// <summary>Starts a graceful shutdown: no new sends; queued data drains first.</summary>
    public void Shutdown(long nowMs)
    {
        if (_terminated)
        {
            return;
        }

        if (State is SctpAssociationState.Closed or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed)
        {
            Terminate(TransportClosedReason.ClosedLocally, "shut down before the association was up");
            DispatchEvents();
            return;
        }

        if (State == SctpAssociationState.Established)
        {
            _shutdownByUs = true;
            State = SctpAssociationState.ShutdownPending;
            CheckShutdownProgress(nowMs);
            Flush(nowMs);
        }

        DispatchEvents();
    }

    /// <summary>Ends the association at once with an ABORT carrying "user initiated abort" and <paramref name="reason"/>.</summary>
    public void Abort(string reason)
    {
        if (_terminated)
        {
            return;
        }

        if (_peerTag != 0)
        {
            SendAlone(new ErrorCausesChunk(true, [new ErrorCause(ErrorCauseCode.UserInitiatedAbort, Encoding.UTF8.GetBytes(reason))]), _peerTag);
        }

        Terminate(TransportClosedReason.ClosedLocally, "aborted: " + reason);
        DispatchEvents();
    }

    /// <summary>
    /// The DTLS transport underneath ended. Chromium closes a PeerConnection by tearing DTLS down
    /// without SHUTDOWN or ABORT (notes §3.6), so this is the usual way an association ends.
    /// </summary>
    public void HandleTransportClosed(TransportClosedReason reason)
    {
        Terminate(reason, "DTLS transport closed");
        DispatchEvents();
    }

    // Everything covered by the cumulative ack (abandoned chunks too, once FORWARD TSN is through):
    // O(1), where scanning for unacked chunks on every SACK would cost a window's length each time.
    private bool AllDataAcked => _sendQueue.Count == 0 && _outstanding.Count == 0;

    private void CheckShutdownProgress(long nowMs)
    {
        if (!AllDataAcked || _receiver is null)
        {
            return;
        }

        if (State == SctpAssociationState.ShutdownPending)
        {
            State = SctpAssociationState.ShutdownSent;
            _control.Add(new ShutdownChunk(_receiver.CumulativeTsn));
            _t2At = nowMs + _rto.RtoMs;
            _t3At = null;
        }
        else if (State == SctpAssociationState.ShutdownReceived)
        {
            State = SctpAssociationState.ShutdownAckSent;
            _control.Add(new SimpleChunk(SctpChunkType.ShutdownAck));
            _t2At = nowMs + _rto.RtoMs;
            _t3At = null;
        }
    }

    private void OnShutdown(ShutdownChunk shutdown, long nowMs)
    {
        if (_receiver is null)
        {
            return;
        }

        // SHUTDOWN carries a cumulative ack: treat it like a SACK without gaps.
        OnSack(new SackChunk(shutdown.CumulativeTsnAck, (uint)Math.Min(uint.MaxValue, _peerRwnd + _flightBytes), [], []), nowMs);
        switch (State)
        {
            case SctpAssociationState.Established:
            case SctpAssociationState.ShutdownPending:
                State = SctpAssociationState.ShutdownReceived;
                _heartbeatAt = null;
                CheckShutdownProgress(nowMs);
                break;
            case SctpAssociationState.ShutdownSent:
                // Both sides shut down at once (§9.2): answer with SHUTDOWN ACK.
                State = SctpAssociationState.ShutdownAckSent;
                _control.Add(new SimpleChunk(SctpChunkType.ShutdownAck));
                _t2At = nowMs + _rto.RtoMs;
                break;
        }
    }

    private void OnShutdownAck(uint packetTag)
    {
        if (State is SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent)
        {
            SendAlone(new SimpleChunk(SctpChunkType.ShutdownComplete), _peerTag);
            Terminate(_shutdownByUs ? TransportClosedReason.ClosedLocally : TransportClosedReason.ClosedByPeer, "shutdown complete");
            return;
        }

        // Out of the blue (§8.4 item 5): tell the peer we know nothing of it, with the T bit and its own tag reflected.
        SendAlone(new SimpleChunk(SctpChunkType.ShutdownComplete, tagReflected: true), packetTag);
    }

    private void OnShutdownComplete()
    {
        if (State == SctpAssociationState.ShutdownAckSent)
        {
            Terminate(_shutdownByUs ? TransportClosedReason.ClosedLocally : TransportClosedReason.ClosedByPeer, "shutdown complete");
        }
    }

    private void OnT2Expired(long nowMs)
    {
        _t2At = null;
        if (State is not (SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent))
        {
            return;
        }

        if (++_errorCount > _options.MaxRetransmissions)
        {
            Fail("shutdown not acknowledged");
            return;
        }

        _rto.Backoff();
        _control.Add(State == SctpAssociationState.ShutdownSent ? new ShutdownChunk(_receiver!.CumulativeTsn) : new SimpleChunk(SctpChunkType.ShutdownAck));
        _t2At = nowMs + _rto.RtoMs;
    }
}
