using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Association setup (RFC 9260 §5, notes §3.3): the 4-way handshake with a state cookie, and INIT
/// collision. Our tag and initial TSN are fixed for the life of the object, so an INIT ACK sent while
/// our own INIT is out carries the same values as that INIT, as §5.2.1 requires.
/// </summary>
internal sealed partial class Association
{
    private long? _t1At;
    private int _t1RtoMs;
    private int _initRetransmits;
    private byte[]? _cookieToEcho;
    private uint _peerInitialTsn;
    private uint _peerReceiveWindow;
    private ushort _peerInboundStreams;
    private bool _peerForwardTsn;
    private bool _peerReConfig;

    /// <summary>Starts the handshake by sending INIT. Both sides may do this at once (INIT collision is handled).</summary>
    public void Connect(long nowMs)
    {
        if (State != SctpAssociationState.Closed || _terminated)
        {
            return;
        }

        State = SctpAssociationState.CookieWait;
        SendInit();
        _t1At = nowMs + _t1RtoMs;
        DispatchEvents();
    }

    private InitParameters OurParameters(byte[]? cookie, IReadOnlyList<byte[]> unrecognized) => new()
    {
        StateCookie = cookie,
        UnrecognizedToReport = unrecognized,
        ForwardTsnSupported = true,
        // A fresh array each time: a shared static one would be mutable state shared by every association.
        SupportedExtensions = [(byte)SctpChunkType.ReConfig, (byte)SctpChunkType.ForwardTsn],
    };

    private void SendInit() =>
        SendAlone(new InitChunk(false, _localTag, (uint)_options.ReceiveWindow, _options.Streams, _options.Streams, _localInitialTsn, OurParameters(null, [])), 0);

    private void OnInit(InitChunk init, long nowMs)
    {
        if (State is SctpAssociationState.ShutdownAckSent or SctpAssociationState.ShutdownSent)
        {
            return;
        }

        // Passive open, collision (COOKIE-WAIT / COOKIE-ECHOED) and a peer's retransmitted INIT after we
        // are up all get the same answer: our fixed tag and TSN plus a cookie naming their tag.
        var cookie = new StateCookie(
            _localTag,
            init.InitiateTag,
            _localInitialTsn,
            init.InitialTsn,
            init.AdvertisedReceiveWindow,
            init.OutboundStreams,
            init.InboundStreams,
            init.Parameters.ForwardTsnSupported,
            init.Parameters.SupportsReConfig,
            nowMs).Seal(_cookieKey);
        SendAlone(
            new InitChunk(true, _localTag, (uint)_options.ReceiveWindow, _options.Streams, _options.Streams, _localInitialTsn, OurParameters(cookie, init.Parameters.UnrecognizedToReport)),
            init.InitiateTag);
    }

    private void OnInitAck(InitChunk initAck, long nowMs)
    {
        if (State != SctpAssociationState.CookieWait)
        {
            // Late or duplicate: the handshake already moved on (§5.2.3).
            return;
        }

        _peerTag = initAck.InitiateTag;
        SetPeerParameters(initAck.InitialTsn, initAck.AdvertisedReceiveWindow, initAck.InboundStreams, initAck.Parameters.ForwardTsnSupported, initAck.Parameters.SupportsReConfig);
        _cookieToEcho = initAck.Parameters.StateCookie!;
        State = SctpAssociationState.CookieEchoed;
        SendAlone(new CookieEchoChunk(_cookieToEcho), _peerTag);
        _initRetransmits = 0;
        _t1RtoMs = _options.RtoInitialMs;
        _t1At = nowMs + _t1RtoMs;
    }

    /// <summary>Returns true when the packet's DATA should be acknowledged at once (first packet after COOKIE ECHO).</summary>
    private bool OnCookieEcho(CookieEchoChunk echo, long nowMs)
    {
        var cookie = StateCookie.Open(echo.Cookie, _cookieKey);
        if (cookie is null || cookie.LocalTag != _localTag)
        {
            PacketsDropped++;
            return false;
        }

        if (nowMs - cookie.CreatedMs > _options.CookieLifetimeMs)
        {
            var staleness = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(staleness, (uint)Math.Min(uint.MaxValue, (nowMs - cookie.CreatedMs - _options.CookieLifetimeMs) * 1000));
            _output.Enqueue(new SctpPacket(_options.LocalPort, _options.RemotePort, cookie.PeerTag, [new ErrorCausesChunk(false, [new ErrorCause(ErrorCauseCode.StaleCookie, staleness)])]).ToBytes());
            return false;
        }

        switch (State)
        {
            case SctpAssociationState.Closed:
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                // Cases B/D of §5.2.4: the cookie names our tag, so it answers our own INIT or INIT ACK.
                _peerTag = cookie.PeerTag;
                SetPeerParameters(cookie.PeerInitialTsn, cookie.PeerReceiveWindow, cookie.PeerInboundStreams, cookie.PeerForwardTsn, cookie.PeerReConfig);
                _handshakeReplies.Add(new SimpleChunk(SctpChunkType.CookieAck));
                EnterEstablished(nowMs);
                return true;
            default:
                if (cookie.PeerTag == _peerTag)
                {
                    // Our COOKIE ACK was lost and the peer repeats itself.
                    _handshakeReplies.Add(new SimpleChunk(SctpChunkType.CookieAck));
                }
                else
                {
                    // A restart would need a new peer tag; over one DTLS session it cannot happen, so refuse it.
                    PacketsDropped++;
                }

                return false;
        }
    }

    private void OnCookieAck(long nowMs)
    {
        if (State == SctpAssociationState.CookieEchoed)
        {
            EnterEstablished(nowMs);
        }
    }

    private void SetPeerParameters(uint initialTsn, uint receiveWindow, ushort inboundStreams, bool forwardTsn, bool reConfig)
    {
        _peerInitialTsn = initialTsn;
        _peerReceiveWindow = receiveWindow;
        _peerInboundStreams = inboundStreams;
        _peerForwardTsn = forwardTsn;
        _peerReConfig = reConfig;
    }

    private void EnterEstablished(long nowMs)
    {
        State = SctpAssociationState.Established;
        _t1At = null;
        _cookieToEcho = null;
        _receiver = new DataReceiver(_peerInitialTsn, _options.ReceiveWindow, _options.LocalMaxMessageSize);
        _cc = new CongestionControl(_options.Mtu, _options.InitialCwndPackets, _peerReceiveWindow);
        _peerRwnd = _peerReceiveWindow;
        _outboundStreams = Math.Min(_options.Streams, _peerInboundStreams);
        _peerNextRequestSequence = _peerInitialTsn;
        _heartbeatAt = nowMs + _options.HeartbeatIntervalMs + _rto.RtoMs;
        _events.Add(_user.OnAssociationUp);
    }

    private void OnT1Expired(long nowMs)
    {
        _t1At = null;
        if (State is not (SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed))
        {
            return;
        }

        if (++_initRetransmits > _options.MaxInitRetransmits)
        {
            Terminate(TransportClosedReason.TimedOut, $"no answer to {(State == SctpAssociationState.CookieWait ? "INIT" : "COOKIE ECHO")} after {_options.MaxInitRetransmits} retransmissions");
            return;
        }

        _t1RtoMs = Math.Min(_options.RtoMaxMs, _t1RtoMs * 2);
        if (State == SctpAssociationState.CookieWait)
        {
            SendInit();
        }
        else
        {
            SendAlone(new CookieEchoChunk(_cookieToEcho!), _peerTag);
        }

        _t1At = nowMs + _t1RtoMs;
    }
}
