using System.Threading.Channels;
using P2PSync.Node.Transport.WebRtc.Dcep;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>
/// A WebRTC peer connection for data channels only: SDP offer/answer and trickled candidates in,
/// then ICE (UDP sockets) -> DTLS (BouncyCastle, its own thread) -> SCTP -> DCEP, wired here.
/// ICE starts with the first description (the offer we create or the one we receive), DTLS when ICE
/// reports a working pair, SCTP (both sides send INIT) when DTLS is up; <see cref="Connected"/>
/// completes when the association is established. Every SCTP and DCEP state change happens under
/// one lock (<c>_gate</c>): the sans-IO layers are never touched concurrently, and events for the
/// application are queued there and raised after the lock is released, in order.
/// See docs/protocol/webrtc-peer.md.
/// </summary>
internal sealed partial class PeerConnection : IAsyncDisposable
{
    /// <summary>What we may send when the peer announced a=max-message-size:0 ("no limit"): a cap of our own on what one send may buffer.</summary>
    private const int UnlimitedMessageCap = 16 * 1024 * 1024;

    private readonly PeerConnectionOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly long _startTimestamp;
    private readonly object _gate = new();
    private readonly DtlsCertificate _certificate;
    private readonly IceCredentials _localCredentials;
    private readonly ulong _sessionId;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _associationDown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<DataChannel> _accepted = Channel.CreateUnbounded<DataChannel>();
    private readonly Dictionary<ushort, DataChannel> _channels = [];
    private readonly List<DataChannel> _waitingForRole = [];
    private readonly Queue<Action> _events = new();
    private readonly List<TaskCompletionSource> _bufferWaiters = [];
    private bool _raisingEvents;
    private PeerConnectionState _state = PeerConnectionState.New;

    public PeerConnection(PeerConnectionOptions options, TimeProvider time, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _options = options;
        _time = time;
        _random = random;
        _startTimestamp = time.GetTimestamp();
        _certificate = DtlsCertificate.Generate(time);
        _localCredentials = IceCredentials.Generate(random);
        _sessionId = (ulong)random.NextInt64(1, long.MaxValue);

        // Nobody may await Connected (a connection disposed unused); its fault must not go unobserved.
        _connected.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>One of our candidates found after the description was written ("candidate:..."), or "" for end-of-candidates.</summary>
    public event Action<string>? LocalCandidate;

    public event Action<PeerConnectionState>? StateChanged;

    /// <summary>A channel the peer opened (DCEP OPEN), already open. Also offered to <see cref="AcceptDataChannelsAsync"/>.</summary>
    public event Action<DataChannel>? DataChannelOpened;

    public PeerConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Completes when the SCTP association is up; faults with <see cref="PeerConnectionException"/> naming the layer that failed.</summary>
    public Task Connected => _connected.Task;

    /// <summary>The fingerprint of our DTLS certificate (it is in our descriptions).</summary>
    public DtlsFingerprint LocalFingerprint => _certificate.Fingerprint;

    /// <summary>Bytes queued on the association and not yet acknowledged.</summary>
    public long BufferedAmount
    {
        get
        {
            lock (_gate)
            {
                return _mux?.Association.BufferedAmount ?? 0;
            }
        }
    }

    /// <summary>The largest message the peer accepts (65536 until its description says otherwise).</summary>
    public int RemoteMaxMessageSize
    {
        get
        {
            lock (_gate)
            {
                return RemoteMaxMessageSizeLocked;
            }
        }
    }

    private int RemoteMaxMessageSizeLocked => _negotiated?.MaxSendMessageSize switch
    {
        null when _negotiated is null => (int)SdpMediaSection.DefaultMaxMessageSize,
        null => UnlimitedMessageCap,
        var size => (int)Math.Min(size.Value, UnlimitedMessageCap),
    };

    private long NowMs => (long)_time.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>
    /// Creates a channel. Usable before <see cref="Connected"/>: it gets its stream id once the DTLS
    /// role is known (with the remote description) and opens when the association is up.
    /// </summary>
    /// <exception cref="ArgumentException">Bad options, or a label/protocol DCEP cannot carry.</exception>
    /// <exception cref="PeerConnectionException">The connection is closed or failed, or no stream id is free.</exception>
    public DataChannel CreateDataChannel(string label, DataChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        options ??= new DataChannelOptions();
        options.Validate();
        var channel = new DataChannel(this, label, options);

        // Encoding now surfaces a label DCEP cannot carry to the caller, not later on another thread.
        _ = DcepCodec.ToArray(Describe(channel));
        lock (_gate)
        {
            ThrowIfEnded("create a data channel");
            if (_mux is null)
            {
                _waitingForRole.Add(channel);
            }
            else
            {
                OpenOnMux(channel);
                PumpLocked();
            }
        }

        RaiseEvents();
        return channel;
    }

    /// <summary>Channels the peer opens, as they open, until the connection ends or <paramref name="cancellationToken"/> fires.</summary>
    public IAsyncEnumerable<DataChannel> AcceptDataChannelsAsync(CancellationToken cancellationToken) =>
        _accepted.Reader.ReadAllAsync(cancellationToken);

    public PeerConnectionStats GetStats()
    {
        lock (_gate)
        {
            var agent = _ice?.Agent;
            var association = _mux?.Association;
            string? pair = null;
            if (agent is not null && agent.TryGetDataPath(out var localBase, out var remote))
            {
                pair = $"{localBase} -> {remote}";
            }

            return new PeerConnectionStats
            {
                State = _state,
                IceState = agent?.State ?? IceConnectionState.New,
                SelectedPair = pair,
                LocalCandidates = agent?.LocalCandidates.Count ?? 0,
                RemoteCandidates = agent?.RemoteCandidates.Count ?? 0,
                DtlsRole = _dtls?.Role,
                DtlsCipherSuite = _dtls?.CipherSuite ?? 0,
                SctpState = association?.State ?? Sctp.SctpAssociationState.Closed,
                SctpRtoMs = association?.RtoMs ?? 0,
                SctpCongestionWindow = association?.CongestionWindow ?? 0,
                SctpBufferedAmount = association?.BufferedAmount ?? 0,
                SctpPacketsDropped = association?.PacketsDropped ?? 0,
                SctpChunksRetransmitted = association?.ChunksRetransmitted ?? 0,
                SctpOversizedMessagesDropped = association?.OversizedMessagesDropped ?? 0,
                OpenChannels = _channels.Values.Count(c => c.State == DataChannelState.Open),
                MessagesSent = _mux?.MessagesSent ?? 0,
                MessagesReceived = _mux?.MessagesReceived ?? 0,
                BytesSent = _mux?.BytesSent ?? 0,
                BytesReceived = _mux?.BytesReceived ?? 0,
                DcepRefused = (_mux?.MessagesDropped ?? 0) + (_mux?.OpensRefused ?? 0),
                RemoteMaxMessageSize = RemoteMaxMessageSizeLocked,
                IceMalformedStun = agent?.Counters.MalformedStun ?? 0,
                IceMissingFingerprint = agent?.Counters.MissingFingerprint ?? 0,
                IceBadIntegrity = agent?.Counters.BadIntegrity ?? 0,
                IceWrongUsername = agent?.Counters.WrongUsername ?? 0,
                IceUnknownTransaction = agent?.Counters.UnknownTransaction ?? 0,
                IceOtherProtocol = agent?.Counters.OtherProtocol ?? 0,
                IceUnverifiedApplicationData = agent?.Counters.UnverifiedApplicationData ?? 0,
                IceDroppedReceives = _ice?.DroppedReceives ?? 0,
                DtlsForgedRecordsDropped = _dtls?.ForgedRecordsDropped ?? 0,
                DtlsMalformedDatagramsDropped = _dtls?.MalformedDatagramsDropped ?? 0,
                DtlsReplayedRecordsDropped = _dtls?.ReplayedRecordsDropped ?? 0,
            };
        }
    }

    private void SetStateLocked(PeerConnectionState state)
    {
        if (_state == state || _state is PeerConnectionState.Closed || (_state == PeerConnectionState.Failed && state != PeerConnectionState.Closed))
        {
            return;
        }

        _state = state;
        _events.Enqueue(() => StateChanged?.Invoke(state));
    }

    /// <summary>
    /// Raises queued events with no lock held. One thread raises at a time, so events keep their order;
    /// a thread that finds another raising leaves its events to it. Handlers may call back into us.
    /// </summary>
    private void RaiseEvents()
    {
        // Called from inside a locked section (ICE raising a candidate while we hand it credentials):
        // leave the events queued for the outer caller, which raises them once the lock is released.
        // Raising here would run the application's handlers under our lock.
        if (Monitor.IsEntered(_gate))
        {
            return;
        }

        lock (_gate)
        {
            if (_raisingEvents)
            {
                return;
            }

            _raisingEvents = true;
        }

        while (true)
        {
            Action? next;
            lock (_gate)
            {
                if (!_events.TryDequeue(out next))
                {
                    _raisingEvents = false;
                    return;
                }
            }

            try
            {
                next();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A handler's bug must not stop the transport (this runs on socket and timer threads)
                // nor keep later events from being raised; it is the handler's to report.
            }
        }
    }

    private void ThrowIfEnded(string what)
    {
        if (_disposing || _state is PeerConnectionState.Closed or PeerConnectionState.Failed)
        {
            throw new PeerConnectionException($"cannot {what}: the connection is {(_disposing ? "closing" : _state.ToString().ToLowerInvariant())}");
        }
    }
}
