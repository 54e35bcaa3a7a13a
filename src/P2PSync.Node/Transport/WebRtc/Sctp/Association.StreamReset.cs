using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Stream reset with RE-CONFIG (RFC 6525, notes §3.7), used to close data channels (RFC 8831 §6.7).
/// One request of ours is outstanding at a time and is retransmitted with the same sequence number.
/// When the peer resets its outgoing side of a stream we answer and reset ours too: a close needs
/// both halves, and Chromium waits for ours.
/// </summary>
internal sealed partial class Association
{
    private readonly HashSet<ushort> _resettingStreams = [];
    private readonly List<ushort> _resetWanted = [];

    // Streams with one half of the close done and the other awaited: our outgoing side reset and
    // acknowledged, or the peer's outgoing side reset. When the other half lands the close is complete
    // and the stream leaves both sets; without this, each side's reset would trigger the other's again.
    private readonly HashSet<ushort> _outgoingResetDone = [];
    private readonly HashSet<ushort> _incomingResetDone = [];
    private uint _nextRequestSequence;
    private uint _peerNextRequestSequence;
    private OutgoingResetRequest? _resetInFlight;
    private bool _resendResetRequest;
    private long? _reconfigAt;
    private ReConfigResponse? _responseToSend;
    private ReConfigResult _lastPeerRequestResult;
    private OutgoingResetRequest? _deferredPeerRequest;

    private bool HasReConfigWork => _responseToSend is not null || _resendResetRequest || (_resetInFlight is null && _resetWanted.Count > 0);

    /// <summary>Closes our outgoing side of <paramref name="streamId"/> once the data queued on it has been sent.</summary>
    public void ResetStream(ushort streamId, long nowMs)
    {
        if (_terminated || !RequestOutgoingReset(streamId))
        {
            return;
        }

        Flush(nowMs);
        DispatchEvents();
    }

    // Queues our Outgoing SSN Reset Request for the stream; false if one is already under way.
    private bool RequestOutgoingReset(ushort streamId)
    {
        if (!_resettingStreams.Add(streamId))
        {
            return false;
        }

        _resetWanted.Add(streamId);
        return true;
    }

    private ReConfigChunk? BuildReConfig(long nowMs)
    {
        // Called on every flush, i.e. per packet sent or received: the common "nothing to do" allocates nothing.
        if (_cc is null || _peerTag == 0 || !HasReConfigWork)
        {
            return null;
        }

        var parameters = new List<ReConfigParameter>(2);
        if (_responseToSend is not null)
        {
            parameters.Add(_responseToSend);
            _responseToSend = null;
        }

        if (_resetInFlight is not null && _resendResetRequest)
        {
            parameters.Add(_resetInFlight);
            _reconfigAt = nowMs + _rto.RtoMs;
        }
        else if (_resetInFlight is null && _peerReConfig)
        {
            // Streams with data still queued wait: RFC 6525 §5.1.1 wants it sent before the request.
            var ready = _resetWanted.Where(s => !_sendQueue.HasQueued(s)).ToArray();
            if (ready.Length > 0)
            {
                _resetWanted.RemoveAll(ready.Contains);
                _resetInFlight = new OutgoingResetRequest(_nextRequestSequence, _peerNextRequestSequence - 1, _nextTsn - 1, ready);
                parameters.Add(_resetInFlight);
                _reconfigAt = nowMs + _rto.RtoMs;
            }
        }

        _resendResetRequest = false;
        return parameters.Count == 0 ? null : new ReConfigChunk(parameters);
    }

    private void OnReConfig(ReConfigChunk chunk, long nowMs)
    {
        if (_receiver is null)
        {
            return;
        }

        foreach (var parameter in chunk.Parameters)
        {
            switch (parameter)
            {
                case OutgoingResetRequest request:
                    OnPeerResetRequest(request);
                    break;
                case ReConfigResponse response:
                    OnResetResponse(response, nowMs);
                    break;
                case IncomingResetRequest incoming:
                    AnswerOther(incoming.RequestSequence);
                    break;
                case UnsupportedReConfigRequest other:
                    AnswerOther(other.RequestSequence);
                    break;
            }
        }
    }

    private void OnPeerResetRequest(OutgoingResetRequest request)
    {
        if (request.RequestSequence == _peerNextRequestSequence - 1)
        {
            // A retransmission of a request we already did: same answer again.
            _responseToSend = new ReConfigResponse(request.RequestSequence, _lastPeerRequestResult);
            return;
        }

        if (request.RequestSequence != _peerNextRequestSequence)
        {
            _responseToSend = new ReConfigResponse(request.RequestSequence, ReConfigResult.ErrorBadSequenceNumber);
            return;
        }

        if (SerialNumber.Le(request.SenderLastTsn, _receiver!.CumulativeTsn))
        {
            PerformPeerReset(request);
            return;
        }

        // Data sent before the request is still missing: say so, and do it when it has all arrived.
        _deferredPeerRequest = request;
        _responseToSend = new ReConfigResponse(request.RequestSequence, ReConfigResult.InProgress);
    }

    private void TryPerformDeferredReset()
    {
        if (_deferredPeerRequest is { } request && SerialNumber.Le(request.SenderLastTsn, _receiver!.CumulativeTsn))
        {
            PerformPeerReset(request);
        }
    }

    private void PerformPeerReset(OutgoingResetRequest request)
    {
        _deferredPeerRequest = null;
        foreach (var streamId in request.StreamIds.Count > 0 ? request.StreamIds : StreamsInUse())
        {
            _receiver!.ResetIncoming(streamId);
            var id = streamId;
            _events.Add(() => _user.OnStreamReset(id, true));
            if (_outgoingResetDone.Remove(streamId))
            {
                continue; // our half was already done: the close is complete
            }

            _incomingResetDone.Add(streamId);
            if (_resettingStreams.Add(streamId))
            {
                _resetWanted.Add(streamId);
            }
        }

        _peerNextRequestSequence++;
        _lastPeerRequestResult = ReConfigResult.SuccessPerformed;
        _responseToSend = new ReConfigResponse(request.RequestSequence, ReConfigResult.SuccessPerformed);
    }

    /// <summary>
    /// What an Outgoing SSN Reset Request without stream ids means (RFC 6525 §4.1: "all streams"):
    /// every stream we hold state for in either direction, or still have data queued on. A stream
    /// never used has nothing to reset (its SSNs are still 0).
    /// </summary>
    private List<ushort> StreamsInUse()
    {
        var streams = new SortedSet<ushort>(_receiver!.StreamsWithState);
        streams.UnionWith(_nextSsn.Keys);
        streams.UnionWith(_sendQueue.Streams);
        return [.. streams];
    }

    private void AnswerOther(uint requestSequence)
    {
        if (requestSequence == _peerNextRequestSequence)
        {
            _peerNextRequestSequence++;
            _lastPeerRequestResult = ReConfigResult.Denied;
        }

        _responseToSend = new ReConfigResponse(requestSequence, ReConfigResult.Denied);
    }

    private void OnResetResponse(ReConfigResponse response, long nowMs)
    {
        if (_resetInFlight is not { } request || response.ResponseSequence != request.RequestSequence)
        {
            return;
        }

        switch (response.Result)
        {
            case ReConfigResult.InProgress:
                // The peer still waits for our data; ask again after an RTO with the same number.
                _reconfigAt = nowMs + _rto.RtoMs;
                return;
            case ReConfigResult.SuccessPerformed:
            case ReConfigResult.SuccessNothingToDo:
                foreach (var streamId in request.StreamIds)
                {
                    _nextSsn.Remove(streamId);
                    _resettingStreams.Remove(streamId);
                    if (!_incomingResetDone.Remove(streamId))
                    {
                        _outgoingResetDone.Add(streamId);
                    }

                    var id = streamId;
                    _events.Add(() => _user.OnStreamReset(id, false));
                }

                break;
            default:
                // Refused: the stream stays unusable rather than risk SSN confusion on the peer.
                ResetsRefused++;
                break;
        }

        _resetInFlight = null;
        _reconfigAt = null;
        _nextRequestSequence++;
    }

    /// <summary>Our stream reset requests the peer refused.</summary>
    public long ResetsRefused { get; private set; }
}
