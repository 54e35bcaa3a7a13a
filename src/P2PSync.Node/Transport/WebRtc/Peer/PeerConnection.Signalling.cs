using P2PSync.Node.Transport.WebRtc.Dcep;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sctp;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>Offer/answer and trickle: the part of the connection the signalling channel drives.</summary>
internal sealed partial class PeerConnection
{
    private readonly List<IceCandidate> _earlyRemoteCandidates = [];
    private readonly HashSet<IceCandidate> _candidatesInDescription = [];
    private IceTransport? _ice;
    private DtlsSession? _dtls;
    private DataChannelMux? _mux;
    private SessionDescription? _localOffer;
    private SessionDescription? _localAnswer;
    private NegotiatedSession? _negotiated;
    private bool _descriptionWritten;
    private bool _localGatheringComplete;
    private readonly List<string> _unsentCandidates = [];
    private bool _remoteEndOfCandidatesEarly;
    private bool _startingIce;

    /// <summary>
    /// Our offer (one data section, setup actpass). Starts ICE: binds the sockets (so call it inside a
    /// network namespace to bind there), and puts the host candidates in the SDP; later ones trickle
    /// through <see cref="LocalCandidate"/>.
    /// </summary>
    /// <exception cref="PeerConnectionException">Not a new connection.</exception>
    public string CreateOffer()
    {
        string sdp;
        lock (_gate)
        {
            ThrowIfEnded("create an offer");
            if (_ice is not null)
            {
                throw new PeerConnectionException("cannot create an offer: this connection already has a description (no renegotiation yet)");
            }

            StartIceLocked(IceRole.Controlling);
            _localOffer = OfferAnswer.CreateOffer(LocalParametersLocked());
            _descriptionWritten = true;
            sdp = SdpWriter.Write(_localOffer);
        }

        RaiseEvents();
        return sdp;
    }

    /// <summary>Our answer to the offer given to <see cref="SetRemoteDescription"/> (setup active: we are the DTLS client).</summary>
    /// <exception cref="PeerConnectionException">No remote offer has been set.</exception>
    public string CreateAnswer()
    {
        string sdp;
        lock (_gate)
        {
            ThrowIfEnded("create an answer");
            if (_localAnswer is null)
            {
                throw new PeerConnectionException("cannot create an answer: set the remote offer first");
            }

            _descriptionWritten = true;
            FlushUnsentCandidatesLocked();
            sdp = SdpWriter.Write(_localAnswer);
        }

        RaiseEvents();
        return sdp;
    }

    /// <summary>
    /// Takes the peer's "offer" or "answer". An offer starts ICE (binds the sockets, like
    /// <see cref="CreateOffer"/>) and prepares our answer; either one settles the DTLS role, so
    /// channels created so far get their stream ids.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is neither "offer" nor "answer".</exception>
    /// <exception cref="WebRtcFormatException">The SDP does not parse.</exception>
    /// <exception cref="PeerConnectionException">The description is refused (no data section, no fingerprint we can check, answer not matching our offer) or comes in the wrong state.</exception>
    public void SetRemoteDescription(string type, string sdp)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(sdp);
        if (type is not ("offer" or "answer"))
        {
            throw new ArgumentException($"a remote description is an \"offer\" or an \"answer\", not \"{type}\"", nameof(type));
        }

        var description = SdpParser.Parse(sdp);
        lock (_gate)
        {
            ThrowIfEnded("set a remote description");
            if (type == "offer")
            {
                AcceptOfferLocked(description);
            }
            else
            {
                AcceptAnswerLocked(description);
            }

            ApplyNegotiatedLocked();
            PumpLocked();
        }

        RaiseEvents();
    }

    /// <summary>
    /// A candidate the peer trickled: "candidate:..." with or without "a=", or "" for end-of-candidates.
    /// Returns false when ICE cannot use it (TCP, relay, a .local name: those peers are learned from their checks).
    /// </summary>
    /// <exception cref="WebRtcFormatException">Not a candidate line.</exception>
    public bool AddRemoteCandidate(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        IceCandidate? parsed = IceCandidateLine.IsEndOfCandidates(candidate) ? null : IceCandidateLine.Parse(candidate);
        IceTransport? ice;
        lock (_gate)
        {
            ThrowIfEnded("add a remote candidate");
            ice = _negotiated is null ? null : _ice;
            if (ice is null)
            {
                // Before the peer's description: its credentials are not known yet, keep it for then.
                if (parsed is null)
                {
                    _remoteEndOfCandidatesEarly = true;
                }
                else
                {
                    _earlyRemoteCandidates.Add(parsed);
                }

                return true;
            }
        }

        if (parsed is null)
        {
            ice.RemoteEndOfCandidates();
            return true;
        }

        return ice.AddRemoteCandidate(parsed);
    }

    private void AcceptOfferLocked(SessionDescription offer)
    {
        if (_ice is not null)
        {
            throw new PeerConnectionException(_localOffer is not null
                ? "cannot take a remote offer: we made an offer ourselves (glare; no rollback yet)"
                : "cannot take a remote offer: this connection already has one (no renegotiation yet)");
        }

        // Settle first: a refused offer must leave the connection as it was, with no sockets bound.
        AnswerResult result;
        try
        {
            result = OfferAnswer.Answer(offer, LocalParametersLocked());
        }
        catch (WebRtcFormatException e)
        {
            throw new PeerConnectionException($"the remote offer is refused: {e.Message}", WebRtcLayer.Sdp, e);
        }

        CheckFingerprints(result.Negotiated);
        StartIceLocked(IceRole.Controlled);
        _localAnswer = OfferAnswer.Answer(offer, LocalParametersLocked()).Answer;
        _negotiated = result.Negotiated;
    }

    private void AcceptAnswerLocked(SessionDescription answer)
    {
        if (_localOffer is null || _negotiated is not null)
        {
            throw new PeerConnectionException(_localOffer is null
                ? "cannot take a remote answer: we have made no offer"
                : "cannot take a remote answer: the offer was already answered (no renegotiation yet)");
        }

        NegotiatedSession negotiated;
        try
        {
            negotiated = OfferAnswer.AcceptAnswer(_localOffer, answer);
        }
        catch (WebRtcFormatException e)
        {
            throw new PeerConnectionException($"the remote answer is refused: {e.Message}", WebRtcLayer.Sdp, e);
        }

        CheckFingerprints(negotiated);
        _negotiated = negotiated;
    }

    private static void CheckFingerprints(NegotiatedSession negotiated)
    {
        // Without a fingerprint we can compute, anyone on the path could complete the DTLS handshake.
        if (!negotiated.RemoteFingerprints.Any(f => f.CanVerify))
        {
            throw new PeerConnectionException(
                negotiated.RemoteFingerprints.Count == 0
                    ? "the remote description has no a=fingerprint"
                    : $"the remote description has no fingerprint we can check (we verify {DtlsFingerprint.VerifiableAlgorithms})",
                WebRtcLayer.Sdp);
        }
    }

    private void StartIceLocked(IceRole role)
    {
        var iceRandom = new Random(_random.Next());
        var agent = new IceAgent(_options.Ice ?? new IceAgentOptions(), _localCredentials, role, (ulong)_random.NextInt64(), iceRandom);
        var ice = new IceTransport(
            agent,
            new IceTransportOptions
            {
                BindAddresses = _options.BindAddresses,
                StunServer = _options.StunServer,
                Agent = _options.Ice ?? new IceAgentOptions(),
            },
            _time,
            new Random(_random.Next()));
        // Raised under ICE's lock: act from the thread pool, never call back into ICE from inside it.
        agent.StateChanged += _ => ThreadPool.QueueUserWorkItem(_ => OnIceState());
        ice.LocalCandidate += OnLocalCandidate;
        ice.GatheringComplete += OnLocalGatheringComplete;
        _ice = ice;

        // Built now so DTLS datagrams that arrive before our role is known are buffered (notes §0.5).
        _dtls = new DtlsSession(ice, _certificate, new DtlsSessionOptions { Time = _time });
        _startingIce = true;
        try
        {
            ice.Start();
        }
        finally
        {
            _startingIce = false;
        }

        foreach (var local in agent.LocalCandidates)
        {
            _candidatesInDescription.Add(local.Candidate);
        }

        SetStateLocked(PeerConnectionState.Connecting);
        StartConnectTimerLocked();
    }

    private LocalSessionParameters LocalParametersLocked() => new()
    {
        SessionId = _sessionId,
        IceUfrag = _localCredentials.Ufrag,
        IcePwd = _localCredentials.Password,
        Fingerprint = _certificate.Fingerprint,
        MaxMessageSize = (ulong)_options.MaxMessageSize,
        Candidates = _ice is null ? [] : [.. _ice.Agent.LocalCandidates.Select(c => c.Candidate)],
        EndOfCandidates = _localGatheringComplete,
    };

    /// <summary>Hands the peer's ICE parameters to the agent and creates the SCTP/DCEP layer now that the DTLS role is known.</summary>
    private void ApplyNegotiatedLocked()
    {
        var negotiated = _negotiated!;
        var ice = _ice!;
        ice.SetRemoteCredentials(new IceCredentials(negotiated.RemoteIceUfrag, negotiated.RemoteIcePwd));
        foreach (var candidate in negotiated.RemoteCandidates.Concat(_earlyRemoteCandidates))
        {
            ice.AddRemoteCandidate(candidate);
        }

        _earlyRemoteCandidates.Clear();
        if (negotiated.RemoteEndOfCandidates || _remoteEndOfCandidatesEarly)
        {
            ice.RemoteEndOfCandidates();
        }

        var sctp = (_options.Sctp ?? new SctpOptions()) with
        {
            LocalPort = (ushort)negotiated.LocalSctpPort,
            RemotePort = (ushort)negotiated.RemoteSctpPort,
            RemoteMaxMessageSize = negotiated.MaxSendMessageSize is { } max ? (int)Math.Min(max, UnlimitedMessageCap) : 0,
            SendBufferLimit = _options.SendHighWaterMark + RemoteMaxMessageSizeLocked,

            // What we announced: a bigger message is dropped and only its channel is closed.
            LocalMaxMessageSize = _options.MaxMessageSize,
        };
        _mux = new DataChannelMux(negotiated.LocalDtlsRole == DtlsRole.Client, sctp, new Random(_random.Next()));
        WireMuxEvents(_mux);
        foreach (var channel in _waitingForRole)
        {
            try
            {
                OpenOnMux(channel);
            }
            catch (PeerConnectionException)
            {
                // Its negotiated id clashes with another channel's: that channel alone is closed
                // (OpenOnMux did it); the description itself was fine.
            }
        }

        _waitingForRole.Clear();

        // ICE may already have a working pair (it started with the offer); otherwise its state event starts DTLS.
        StartDtlsIfReadyLocked();
    }

    // ICE raises its candidate events from socket and timer threads, or from inside Start on ours.
    // Those raised inside Start are in the description being written; later ones are trickled, but
    // only after the description itself has been handed out (an answer waits for CreateAnswer).
    private void OnLocalCandidate(IceCandidate candidate)
    {
        lock (_gate)
        {
            if (_startingIce || _disposing || _candidatesInDescription.Contains(candidate))
            {
                return;
            }

            TrickleLocked(IceCandidateLine.Format(candidate));
        }

        RaiseEvents();
    }

    private void OnLocalGatheringComplete()
    {
        lock (_gate)
        {
            _localGatheringComplete = true;
            if (_startingIce || _disposing)
            {
                return; // written into the description as a=end-of-candidates
            }

            TrickleLocked(string.Empty);
        }

        RaiseEvents();
    }

    private void TrickleLocked(string line)
    {
        if (_descriptionWritten)
        {
            _events.Enqueue(() => LocalCandidate?.Invoke(line));
        }
        else
        {
            _unsentCandidates.Add(line);
        }
    }

    private void FlushUnsentCandidatesLocked()
    {
        foreach (var line in _unsentCandidates)
        {
            _events.Enqueue(() => LocalCandidate?.Invoke(line));
        }

        _unsentCandidates.Clear();
    }
}
