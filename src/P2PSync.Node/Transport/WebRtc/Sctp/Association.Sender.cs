using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// The send half (RFC 9260 §6.1, §6.3, §7; notes §3.5): fragmentation, TSN/SSN assignment, cwnd
/// and peer-rwnd gating, SACK processing, T3-rtx and fast retransmit. Abandoning partially reliable
/// messages is in Association.PartialReliability.cs.
/// </summary>
internal sealed partial class Association
{
    private readonly SendScheduler _sendQueue = new();
    private readonly Dictionary<ushort, ushort> _nextSsn = [];
    private readonly OutstandingQueue _outstanding = new();

    private CongestionControl? _cc;
    private uint _nextTsn;
    private uint _cumAck;
    private long _peerRwnd;
    private long _flightBytes;
    private long _bufferedBytes;
    private int _retransmitPending;
    private bool _fastRetransmitPending;
    private ushort _outboundStreams;
    private long? _t3At;
    private int _errorCount;
    private uint? _rttProbeTsn;
    private long _lastDataSentMs;
    private ForwardTsnChunk? _forwardTsn;

    /// <summary>Transmission opportunities that left new DATA queued because of Max.Burst (cwnd would have allowed more).</summary>
    public long MaxBurstLimited { get; private set; }

    /// <summary>The highest TSN of ours the peer has acknowledged cumulatively.</summary>
    public uint PeerCumulativeAck => _cumAck;

    private bool HasDataWork => _cc is not null && (_retransmitPending > 0 || _sendQueue.Count > 0);

    /// <summary>
    /// Queues one user message. Refuses (with <see cref="SctpSendRefusedException"/>) what the peer
    /// could not take or we must not send: empty, over its max-message-size, on a stream out of
    /// range or being reset, over the send buffer, or after shutdown began.
    /// </summary>
    public void Send(ushort streamId, uint ppid, ReadOnlyMemory<byte> payload, bool ordered, SctpReliability reliability, long nowMs)
    {
        if (_terminated || State is not (SctpAssociationState.Closed or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed or SctpAssociationState.Established))
        {
            throw new SctpSendRefusedException($"association is {(_terminated ? "closed" : State.ToString())}");
        }

        if (payload.IsEmpty)
        {
            throw new SctpSendRefusedException("SCTP cannot carry an empty message (use the empty-message PPIDs 56/57 with one byte)");
        }

        if (_options.RemoteMaxMessageSize != 0 && payload.Length > _options.RemoteMaxMessageSize)
        {
            throw new SctpSendRefusedException($"message of {payload.Length} bytes exceeds the peer's max-message-size {_options.RemoteMaxMessageSize}");
        }

        var streams = _cc is null ? _options.Streams : _outboundStreams;
        if (streamId >= streams)
        {
            throw new SctpSendRefusedException($"stream {streamId} is beyond the {streams} outbound streams");
        }

        if (_resettingStreams.Contains(streamId))
        {
            throw new SctpSendRefusedException($"stream {streamId} is being reset");
        }

        if (_bufferedBytes + payload.Length > _options.SendBufferLimit)
        {
            throw new SctpSendRefusedException($"send buffer full ({_bufferedBytes} of {_options.SendBufferLimit} bytes)");
        }

        // Sending again after a completed reset reuses the stream: its next close needs both halves anew.
        _outgoingResetDone.Remove(streamId);

        // One copy: the caller may reuse its buffer as soon as Send returns.
        _sendQueue.Enqueue(new OutgoingMessage(streamId, ppid, payload.ToArray(), ordered, reliability, nowMs));
        _bufferedBytes += payload.Length;
        Flush(nowMs);
        DispatchEvents();
    }

    private bool CanSendData => _cc is not null && State is SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived;

    private void SendData(PacketAssembler assembler, long nowMs)
    {
        if (!CanSendData)
        {
            return;
        }

        var cc = _cc!;
        var sentAny = false;
        if (_retransmitPending > 0)
        {
            var burst = _fastRetransmitPending;
            var packetsBefore = assembler.PacketsWritten;
            foreach (var chunk in _outstanding.InOrder())
            {
                if (_retransmitPending == 0)
                {
                    break;
                }

                if (!chunk.NeedsRetransmit)
                {
                    continue;
                }

                if (ShouldAbandon(chunk, nowMs))
                {
                    Abandon(chunk.Message);
                    continue;
                }

                // Fast retransmit may overshoot cwnd, but only with its first packet (RFC 9260 §7.2.4).
                if (burst && assembler.PacketsWritten > packetsBefore)
                {
                    burst = false;
                }

                if (!burst && _flightBytes >= cc.Cwnd)
                {
                    break;
                }

                chunk.NeedsRetransmit = false;
                _retransmitPending--;
                chunk.Transmissions++;
                chunk.SentMs = nowMs;
                chunk.InFlight = true;
                _flightBytes += chunk.PayloadBytes;
                ChunksRetransmitted++;
                if (_rttProbeTsn == chunk.Tsn)
                {
                    _rttProbeTsn = null; // Karn: never time a retransmitted chunk.
                }

                assembler.Add(chunk.Chunk);
                sentAny = true;
            }

            _fastRetransmitPending = false;
        }

        if (_sendQueue.Count > 0 && _flightBytes == 0 && nowMs - _lastDataSentMs > _rto.RtoMs && _lastDataSentMs != 0)
        {
            cc.OnIdle();
        }

        // Max.Burst counts the packets that carry new DATA from here on: the one being filled (if
        // it already holds a SACK or a retransmission, new chunks ride along in it) and each one started after.
        var burstStart = assembler.PacketsWritten - (assembler.IsEmpty ? 0 : 1);
        while (_sendQueue.Count > 0 && _retransmitPending == 0)
        {
            var message = _sendQueue.Peek();
            if (message.Abandoned || (message.Offset == 0 && _peerForwardTsn && message.IsExpired(nowMs)))
            {
                DropQueued(message);
                continue;
            }

            if (_flightBytes >= cc.Cwnd)
            {
                break;
            }

            var size = Math.Min(_options.MaxDataPayload, message.Payload.Length - message.Offset);

            // A closed peer window still lets one chunk through when nothing is in flight: the zero-window probe.
            if (size > _peerRwnd && _flightBytes > 0)
            {
                break;
            }

            if (_options.MaxBurst > 0 && assembler.WouldStartPacket(DataChunk.HeaderBytes + size)
                && assembler.PacketsWritten + (assembler.IsEmpty ? 0 : 1) - burstStart >= _options.MaxBurst)
            {
                MaxBurstLimited++;
                break;
            }

            var first = message.Offset == 0;
            if (first && message.Ordered)
            {
                message.Ssn = _nextSsn.GetValueOrDefault(message.StreamId);
                _nextSsn[message.StreamId] = (ushort)(message.Ssn + 1);
            }

            var last = message.Offset + size == message.Payload.Length;
            var flags = (byte)((first ? DataChunk.BeginFlag : 0) | (last ? DataChunk.EndFlag : 0) | (message.Ordered ? 0 : DataChunk.UnorderedFlag));
            var data = new DataChunk(_nextTsn, message.StreamId, message.Ordered ? message.Ssn : (ushort)0, message.Ppid, message.Payload.Slice(message.Offset, size), flags);
            var outstanding = new OutstandingChunk(data, message) { SentMs = nowMs, Transmissions = 1, InFlight = true };
            _outstanding.Add(outstanding);
            message.Chunks.Add(outstanding);
            _rttProbeTsn ??= _nextTsn;
            _nextTsn++;
            message.Offset += size;
            _flightBytes += size;
            _peerRwnd = Math.Max(0, _peerRwnd - size);
            assembler.Add(data);
            sentAny = true;
            if (last)
            {
                _sendQueue.CompleteHead();
            }
        }

        if (sentAny)
        {
            _lastDataSentMs = nowMs;
            _t3At ??= nowMs + _rto.RtoMs;
        }
    }

    private void OnSack(SackChunk sack, long nowMs)
    {
        if (_cc is null)
        {
            return;
        }

        var cum = sack.CumulativeTsnAck;
        if (SerialNumber.Lt(cum, _cumAck) || SerialNumber.Ge(cum, _nextTsn))
        {
            // Older than what we know (reordered), or acking TSNs we never sent: ignore.
            return;
        }

        var flightBefore = _flightBytes;
        var newlyAcked = 0;
        uint? highestNewlyAcked = null;
        while (_outstanding.Count > 0 && SerialNumber.Le(_outstanding.Peek().Tsn, cum))
        {
            var chunk = _outstanding.Dequeue();
            if (!chunk.Acked && !chunk.Abandoned)
            {
                newlyAcked += chunk.PayloadBytes;
                highestNewlyAcked = chunk.Tsn;
                MarkAcked(chunk, nowMs);
            }
        }

        var advanced = SerialNumber.Gt(cum, _cumAck);
        _cumAck = cum;
        // Offsets past the highest TSN we sent mean nothing; clamping them keeps a hostile SACK
        // (hundreds of blocks reaching 65535) from costing more than the chunks we actually have out.
        var highestOffset = _nextTsn - 1 - cum;
        foreach (var block in sack.GapBlocks)
        {
            var end = Math.Min(block.End, highestOffset);
            for (uint offset = block.Start; offset <= end; offset++)
            {
                if (_outstanding.Find(cum + offset) is { Acked: false, Abandoned: false } chunk)
                {
                    newlyAcked += chunk.PayloadBytes;
                    if (highestNewlyAcked is null || SerialNumber.Gt(chunk.Tsn, highestNewlyAcked.Value))
                    {
                        highestNewlyAcked = chunk.Tsn;
                    }

                    MarkAcked(chunk, nowMs);
                }
            }
        }

        if (highestNewlyAcked is { } htna && sack.GapBlocks.Count > 0)
        {
            CountMisses(htna);
        }

        _peerRwnd = Math.Max(0, sack.AdvertisedReceiveWindow - _flightBytes);
        if (advanced)
        {
            _cc.OnCumulativeAckAdvanced(newlyAcked, (int)Math.Min(int.MaxValue, flightBefore), cum);
            _errorCount = 0;
            _t3At = _outstanding.Count > 0 ? nowMs + _rto.RtoMs : null;
        }
        else if (_outstanding.Count == 0)
        {
            _t3At = null;
        }

        UpdateForwardTsn();
        CheckShutdownProgress(nowMs);
    }

    private void MarkAcked(OutstandingChunk chunk, long nowMs)
    {
        chunk.Acked = true;
        if (chunk.InFlight)
        {
            chunk.InFlight = false;
            _flightBytes -= chunk.PayloadBytes;
        }

        if (chunk.NeedsRetransmit)
        {
            chunk.NeedsRetransmit = false;
            _retransmitPending--;
        }

        _bufferedBytes -= chunk.PayloadBytes;
        if (_rttProbeTsn == chunk.Tsn)
        {
            _rttProbeTsn = null;
            if (chunk.Transmissions == 1)
            {
                _rto.AddSample(nowMs - chunk.SentMs);
            }
        }
    }

    /// <summary>HTNA rule (RFC 9260 §7.2.4): a miss for every unacked TSN below the highest newly acked one; three make a fast retransmit.</summary>
    private void CountMisses(uint highestNewlyAcked)
    {
        var marked = false;
        foreach (var chunk in _outstanding.InOrder())
        {
            if (SerialNumber.Ge(chunk.Tsn, highestNewlyAcked))
            {
                break;
            }

            if (chunk.Acked || chunk.Abandoned || chunk.NeedsRetransmit || chunk.FastRetransmitted)
            {
                continue;
            }

            if (++chunk.MissIndications >= 3)
            {
                chunk.FastRetransmitted = true;
                MarkForRetransmit(chunk);
                FastRetransmits++;
                marked = true;
            }
        }

        if (marked)
        {
            _cc!.EnterFastRecovery(_nextTsn - 1);
            _fastRetransmitPending = true;
        }
    }

    private void MarkForRetransmit(OutstandingChunk chunk)
    {
        chunk.NeedsRetransmit = true;
        _retransmitPending++;
        if (chunk.InFlight)
        {
            chunk.InFlight = false;
            _flightBytes -= chunk.PayloadBytes;
        }
    }

    private bool HasUnacked() => _outstanding.InOrder().Any(c => !c.Acked && !c.Abandoned);

    private void OnT3Expired(long nowMs)
    {
        _t3At = null;
        if (_cc is null || _outstanding.Count == 0)
        {
            return;
        }

        if (!HasUnacked())
        {
            // Only abandoned (or gap-acked) chunks hold the cum ack back: the FORWARD TSN may have been lost, so repeat it.
            UpdateForwardTsn();
            _t3At = nowMs + _rto.RtoMs;
            return;
        }

        RetransmissionTimeouts++;
        if (++_errorCount > _options.MaxRetransmissions)
        {
            Fail("data not acknowledged after " + _options.MaxRetransmissions + " retransmission timeouts");
            return;
        }

        _rto.Backoff();
        _cc.OnRetransmissionTimeout();
        _rttProbeTsn = null;
        foreach (var chunk in _outstanding.InOrder().ToList())
        {
            if (chunk.Acked || chunk.Abandoned || chunk.NeedsRetransmit)
            {
                continue;
            }

            if (ShouldAbandon(chunk, nowMs))
            {
                Abandon(chunk.Message);
            }
            else
            {
                MarkForRetransmit(chunk);
            }
        }

        UpdateForwardTsn();
        _t3At = nowMs + _rto.RtoMs;
    }

    private void DropQueued(OutgoingMessage message)
    {
        _sendQueue.CompleteHead();
        if (!message.Abandoned)
        {
            _bufferedBytes -= message.Payload.Length - message.Offset;
            message.Abandoned = true;
        }
    }

    private void Fail(string detail)
    {
        if (_peerTag != 0)
        {
            SendAlone(new ErrorCausesChunk(true, []), _peerTag);
        }

        Terminate(TransportClosedReason.TimedOut, detail);
    }
}
