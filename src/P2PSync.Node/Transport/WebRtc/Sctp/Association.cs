using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// One SCTP association over DTLS (RFC 8261), sans-IO: packets in through <see cref="HandleInput"/>,
/// packets out through <see cref="TryDequeueOutput"/>, time only through the <c>nowMs</c> arguments
/// and <see cref="NextTimeoutMs"/>. Bad packets are counted in <see cref="PacketsDropped"/> and
/// dropped, never thrown. The user hears about messages, resets and up/down through <see cref="ISctpUser"/>.
/// Split over partial files by concern: handshake, sender, receiver, stream reset, shutdown.
/// </summary>
internal sealed partial class Association
{
    private readonly SctpOptions _options;
    private readonly ISctpUser _user;
    private readonly Random _random;
    private readonly byte[] _cookieKey = new byte[32];
    private readonly Queue<byte[]> _output = new();
    private readonly List<Action> _events = [];
    private readonly List<SctpChunk> _handshakeReplies = [];
    private readonly List<SctpChunk> _control = [];
    private readonly RtoEstimator _rto;
    private readonly uint _localTag;
    private readonly uint _localInitialTsn;

    private uint _peerTag;
    private bool _terminated;

    /// <summary>
    /// The random source picks our verification tag, initial TSN, cookie key and heartbeat nonces. The
    /// association runs inside DTLS, so these guard against confusion, not attackers: a seeded
    /// <see cref="Random"/> keeps tests reproducible, production passes one seeded from the OS.
    /// </summary>
    public Association(SctpOptions options, ISctpUser user, Random random)
    {
        _options = options;
        _user = user;
        _random = random;
        _rto = new RtoEstimator(options);
        _random.NextBytes(_cookieKey);
        _localTag = NonZeroRandom();
        _localInitialTsn = (uint)_random.NextInt64(0, 1L << 32);
        _nextTsn = _localInitialTsn;
        _cumAck = _localInitialTsn - 1;
        _nextRequestSequence = _localInitialTsn;
        _t1RtoMs = options.RtoInitialMs;
    }

    public SctpAssociationState State { get; private set; }

    /// <summary>Packets refused: bad checksum or layout, wrong ports or tag, or not valid in the current state.</summary>
    public long PacketsDropped { get; private set; }

    public long ChunksRetransmitted { get; private set; }

    public long FastRetransmits { get; private set; }

    public long RetransmissionTimeouts { get; private set; }

    public int RtoMs => _rto.RtoMs;

    public int CongestionWindow => _cc?.Cwnd ?? 0;

    /// <summary>Bytes accepted by <see cref="Send"/> and not yet acknowledged or abandoned.</summary>
    public long BufferedAmount => _bufferedBytes;

    public long? NextTimeoutMs
    {
        get
        {
            // Asked after every packet by the driver: no array, no iterator.
            return Earliest(Earliest(Earliest(_t1At, _t2At), Earliest(_t3At, _sackAt)), Earliest(_heartbeatAt, _reconfigAt));
        }
    }

    private static long? Earliest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    public bool TryDequeueOutput(out ReadOnlyMemory<byte> datagram)
    {
        if (_output.TryDequeue(out var packet))
        {
            datagram = packet;
            return true;
        }

        datagram = default;
        return false;
    }

    public void HandleInput(ReadOnlySpan<byte> datagram, long nowMs)
    {
        SctpPacket packet;
        try
        {
            packet = SctpPacket.Read(datagram);
        }
        catch (WebRtcFormatException)
        {
            PacketsDropped++;
            return;
        }

        if (_terminated)
        {
            PacketsDropped++;

            // Our SHUTDOWN COMPLETE was lost and the peer repeats SHUTDOWN ACK: answer it as an out-of-the-blue
            // packet (RFC 9260 §8.4 item 5), or the peer would retransmit until it gives up with a timeout.
            if (packet.Chunks.Any(c => c is SimpleChunk { Type: SctpChunkType.ShutdownAck }))
            {
                SendAlone(new SimpleChunk(SctpChunkType.ShutdownComplete, tagReflected: true), packet.VerificationTag);
            }

            return;
        }

        if (packet.SourcePort != _options.RemotePort || packet.DestinationPort != _options.LocalPort || !AcceptsTag(packet))
        {
            PacketsDropped++;
            return;
        }

        ProcessChunks(packet, nowMs);
        if (!_terminated)
        {
            Flush(nowMs);
        }

        DispatchEvents();
    }

    public void HandleTimeout(long nowMs)
    {
        if (_terminated)
        {
            return;
        }

        if (_t1At <= nowMs)
        {
            OnT1Expired(nowMs);
        }

        if (_t3At <= nowMs)
        {
            OnT3Expired(nowMs);
        }

        if (_t2At <= nowMs)
        {
            OnT2Expired(nowMs);
        }

        if (_sackAt <= nowMs)
        {
            _sackAt = null;
            _sackDue = true;
        }

        if (_heartbeatAt <= nowMs)
        {
            OnHeartbeatTimer(nowMs);
        }

        if (_reconfigAt <= nowMs)
        {
            _reconfigAt = null;
            _resendResetRequest = true;
        }

        if (!_terminated)
        {
            Flush(nowMs);
        }

        DispatchEvents();
    }

    private bool AcceptsTag(SctpPacket packet)
    {
        var first = packet.Chunks[0];
        if (first is InitChunk { IsAck: false })
        {
            // An INIT travels alone with tag 0 (RFC 9260 §8.5.1).
            return packet.VerificationTag == 0 && packet.Chunks.Count == 1;
        }

        if (packet.Chunks.Any(c => c is InitChunk { IsAck: false }))
        {
            return false;
        }

        if (first is SimpleChunk { Type: SctpChunkType.ShutdownComplete, TagReflected: true } or ErrorCausesChunk { IsAbort: true, TagReflected: true })
        {
            return _peerTag != 0 && packet.VerificationTag == _peerTag;
        }

        return packet.VerificationTag == _localTag;
    }

    private void ProcessChunks(SctpPacket packet, long nowMs)
    {
        var sawData = false;
        var immediateSack = false;
        var hadGaps = _receiver?.HasGaps ?? false;
        foreach (var chunk in packet.Chunks)
        {
            if (_terminated)
            {
                return;
            }

            switch (chunk)
            {
                case InitChunk { IsAck: false } init:
                    OnInit(init, nowMs);
                    break;
                case InitChunk initAck:
                    OnInitAck(initAck, nowMs);
                    break;
                case CookieEchoChunk echo:
                    immediateSack |= OnCookieEcho(echo, nowMs);
                    break;
                case SimpleChunk { Type: SctpChunkType.CookieAck }:
                    OnCookieAck(nowMs);
                    break;
                case DataChunk data:
                    sawData = true;
                    immediateSack |= OnData(data);
                    break;
                case SackChunk sack:
                    OnSack(sack, nowMs);
                    break;
                case HeartbeatChunk { IsAck: false } heartbeat when _peerTag != 0:
                    _control.Add(new HeartbeatChunk(true, heartbeat.Info));
                    break;
                case HeartbeatChunk { IsAck: true } heartbeatAck:
                    OnHeartbeatAck(heartbeatAck, nowMs);
                    break;
                case ErrorCausesChunk { IsAbort: true } abort:
                    Terminate(TransportClosedReason.ClosedByPeer, "peer sent ABORT" + DescribeCauses(abort.Causes));
                    return;
                case ErrorCausesChunk:
                    ErrorsReceived++;
                    break;
                case ShutdownChunk shutdown:
                    OnShutdown(shutdown, nowMs);
                    break;
                case SimpleChunk { Type: SctpChunkType.ShutdownAck }:
                    OnShutdownAck(packet.VerificationTag);
                    break;
                case SimpleChunk { Type: SctpChunkType.ShutdownComplete }:
                    OnShutdownComplete();
                    break;
                case ForwardTsnChunk forward:
                    OnForwardTsn(forward);
                    immediateSack = true;
                    break;
                case ReConfigChunk reconfig:
                    OnReConfig(reconfig, nowMs);
                    break;
                case UnknownChunk unknown:
                    if (unknown.Report && _peerTag != 0)
                    {
                        var reported = new byte[unknown.PaddedLength];
                        unknown.Write(reported);
                        _control.Add(new ErrorCausesChunk(false, [new ErrorCause(ErrorCauseCode.UnrecognizedChunkType, reported[..unknown.Length])]));
                    }

                    if (unknown.StopsPacket)
                    {
                        goto done;
                    }

                    break;
            }
        }

        done:
        if (sawData)
        {
            ScheduleSack(immediateSack || hadGaps, nowMs);
        }
    }

    /// <summary>ERROR chunks received (they only report; we count them).</summary>
    public long ErrorsReceived { get; private set; }

    private void Flush(long nowMs)
    {
        if (_handshakeReplies.Count == 0 && _control.Count == 0 && !_sackDue && !HasDataWork && !HasReConfigWork && _forwardTsn is null)
        {
            return;
        }

        var assembler = new PacketAssembler(_options, _peerTag, _output);
        foreach (var chunk in _handshakeReplies)
        {
            assembler.Add(chunk);
        }

        _handshakeReplies.Clear();
        if (_sackDue && _receiver is not null)
        {
            assembler.Add(_receiver.BuildSack(_options.MaxGapBlocks));
            _sackDue = false;
            _sackAt = null;
            _dataPacketsSinceSack = 0;
        }

        foreach (var chunk in _control)
        {
            assembler.Add(chunk);
        }

        _control.Clear();
        if (_forwardTsn is not null)
        {
            assembler.Add(_forwardTsn);
            _forwardTsn = null;
        }

        if (BuildReConfig(nowMs) is { } reconfig)
        {
            assembler.Add(reconfig);
        }

        SendData(assembler, nowMs);
        assembler.Flush();
    }

    /// <summary>Sends one chunk that must travel alone (INIT, INIT ACK, COOKIE ECHO, SHUTDOWN COMPLETE).</summary>
    private void SendAlone(SctpChunk chunk, uint verificationTag) =>
        _output.Enqueue(new SctpPacket(_options.LocalPort, _options.RemotePort, verificationTag, [chunk]).ToBytes());

    private void Terminate(TransportClosedReason reason, string detail)
    {
        if (_terminated)
        {
            return;
        }

        _terminated = true;
        State = SctpAssociationState.Closed;
        _t1At = _t2At = _t3At = _sackAt = _heartbeatAt = _reconfigAt = null;
        _events.Add(() => _user.OnAssociationDown(reason, detail));
    }

    private void DispatchEvents()
    {
        while (_events.Count > 0)
        {
            var pending = _events.ToArray();
            _events.Clear();
            foreach (var raise in pending)
            {
                raise();
            }
        }
    }

    private uint NonZeroRandom()
    {
        uint value;
        do
        {
            value = (uint)_random.NextInt64(1, 1L << 32);
        }
        while (value == 0);
        return value;
    }

    private static string DescribeCauses(IReadOnlyList<ErrorCause> causes) =>
        causes.Count == 0 ? string.Empty : " (" + string.Join(", ", causes.Select(c => c.Code.ToString())) + ")";
}
