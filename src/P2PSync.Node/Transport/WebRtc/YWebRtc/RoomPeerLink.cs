using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Handoff;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Signalling;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// One WebRTC connection to one remote y-webrtc peer, shaped like a simple-peer on the other end:
/// the initiator makes one reliable ordered channel (random label) and the offer; the other side
/// answers and takes the channel the initiator opened. Signals go out as soon as they exist
/// (trickle; simple-peer queues candidates that come before the description). Messages are
/// binary; replies and room traffic leave through one outbox so a channel sees one send at a time.
/// </summary>
internal sealed class RoomPeerLink : IAsyncDisposable
{
    private readonly PeerConnection _connection;
    private readonly Func<RoomPeerLink, PeerSignal, ValueTask> _publish;
    private readonly Action<RoomPeerLink, string> _ended;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<DataChannel> _open = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private string _mid = "0";
    private bool _greeted;
    private bool _described;
    private int _hasEnded;
    private int _disposed;

    public RoomPeerLink(
        string remotePeerId,
        bool initiator,
        double glareToken,
        PeerConnection connection,
        RoomPeerSync sync,
        Func<RoomPeerLink, PeerSignal, ValueTask> publish,
        Action<RoomPeerLink, string> ended,
        ILogger logger)
    {
        RemotePeerId = remotePeerId;
        IsInitiator = initiator;
        GlareToken = glareToken;
        _connection = connection;
        Sync = sync;
        _publish = publish;
        _ended = ended;
        _logger = logger;
        _connection.LocalCandidate += OnLocalCandidate;
        _connection.StateChanged += OnStateChanged;
    }

    public string RemotePeerId { get; }

    /// <summary>True when we made the offer (we heard the peer's announce).</summary>
    public bool IsInitiator { get; }

    /// <summary>Our glare token for this attempt: when offers cross, the larger token's offer wins.</summary>
    public double GlareToken { get; }

    public RoomPeerSync Sync { get; }

    /// <summary>True once a data channel to the peer is open (simple-peer's "connect").</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _open.Count > 0;
            }
        }
    }

    public PeerConnectionState State => _connection.State;

    /// <summary>The initiator's first step: our channel, then the offer.</summary>
    public async ValueTask StartAsInitiatorAsync()
    {
        Start();
        var channel = _connection.CreateDataChannel(RandomLabel());
        Track(RunChannelAsync(channel));
        var offer = _connection.CreateOffer();
        _mid = MidOf(offer) ?? _mid;
        _described = true;
        await _publish(this, new SessionDescriptionSignal(true, offer)).ConfigureAwait(false);
    }

    /// <summary>Feeds one signal from the peer into the connection.</summary>
    /// <exception cref="PeerConnectionException">The description was refused (no fingerprint, wrong state).</exception>
    /// <exception cref="WebRtcFormatException">The SDP does not parse.</exception>
    public async ValueTask HandleSignalAsync(PeerSignal signal)
    {
        switch (signal)
        {
            case SessionDescriptionSignal { IsOffer: true } offer when !IsInitiator && !_described:
                Start();
                _mid = MidOf(offer.Sdp) ?? _mid;
                _connection.SetRemoteDescription("offer", offer.Sdp);
                _described = true;
                await _publish(this, new SessionDescriptionSignal(false, _connection.CreateAnswer())).ConfigureAwait(false);
                break;
            case SessionDescriptionSignal { IsOffer: false } answer when IsInitiator:
                _connection.SetRemoteDescription("answer", answer.Sdp);
                break;
            case CandidateSignal candidate:
                if (!_connection.AddRemoteCandidate(candidate.Candidate))
                {
                    _logger.LogDebug("y-webrtc peer {Peer}: candidate not used: {Candidate}", RemotePeerId, candidate.Candidate);
                }

                break;
            default:
                _logger.LogDebug("y-webrtc peer {Peer}: ignored {Signal}", RemotePeerId, signal);
                break;
        }
    }

    /// <summary>Queues a message for the peer (dropped once the link has ended).</summary>
    public void Enqueue(byte[] message) => _outbox.Writer.TryWrite(message);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connection.LocalCandidate -= OnLocalCandidate;
        _connection.StateChanged -= OnStateChanged;
        _outbox.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        Task[] loops;
        lock (_gate)
        {
            loops = [.. _loops];
        }

        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Sync.Leave();
        _stop.Dispose();
    }

    /// <summary>The a=mid of a description's data section (candidates name it; "0" in every data-only SDP seen).</summary>
    internal static string? MidOf(string sdp)
    {
        foreach (var line in sdp.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith("a=mid:", StringComparison.Ordinal))
            {
                return trimmed["a=mid:".Length..];
            }
        }

        return null;
    }

    private void Start()
    {
        Track(SendLoopAsync());
        Track(AcceptLoopAsync());
    }

    private void Track(Task loop)
    {
        lock (_gate)
        {
            _loops.Add(loop);
        }
    }

    /// <summary>Channels the peer opens: simple-peer's initiator opens one; after crossed offers it may be the only one.</summary>
    private async Task AcceptLoopAsync()
    {
        try
        {
            await foreach (var channel in _connection.AcceptDataChannelsAsync(_stop.Token).ConfigureAwait(false))
            {
                Track(RunChannelAsync(channel));
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    private async Task RunChannelAsync(DataChannel channel)
    {
        try
        {
            await channel.Opened.WaitAsync(_stop.Token).ConfigureAwait(false);
            bool greet;
            lock (_gate)
            {
                _open.Add(channel);
                greet = !_greeted;
                _greeted = true;
            }

            if (greet)
            {
                _logger.LogInformation("y-webrtc peer {Peer} connected on {Channel}", RemotePeerId, channel);
                foreach (var message in Sync.Greeting())
                {
                    Enqueue(message);
                }
            }

            while (await channel.ReceiveAsync(_stop.Token).ConfigureAwait(false) is { } message)
            {
                if (message.IsText)
                {
                    throw new YProtocolFormatException("y-webrtc sends binary messages, not text");
                }

                foreach (var reply in Sync.Handle(message.Data.Span))
                {
                    Enqueue(reply);
                }
            }

            End("the data channel closed");
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
        catch (Exception ex) when (ex is YProtocolFormatException or AwarenessFormatException)
        {
            _logger.LogWarning("y-webrtc peer {Peer} sent what y-webrtc never sends ({Problem}); closing", RemotePeerId, ex.Message);
            End(ex.Message);
        }
        catch (Exception ex) when (ex is PeerConnectionException or TransportClosedException)
        {
            End(ex.Message);
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(channel);
            }
        }
    }

    /// <summary>Sends each queued message on every open channel (normally one; both after crossed offers, where either may be the one the peer reads).</summary>
    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                DataChannel[] channels;
                lock (_gate)
                {
                    channels = [.. _open];
                }

                foreach (var channel in channels)
                {
                    if (message.Length > channel.MaxMessageSize)
                    {
                        // y-webrtc drops such a send too (simple-peer throws, y-webrtc swallows it).
                        _logger.LogWarning("y-webrtc peer {Peer}: a {Bytes}-byte message exceeds its limit of {Limit}; not sent", RemotePeerId, message.Length, channel.MaxMessageSize);
                        continue;
                    }

                    try
                    {
                        await channel.SendAsync(message, _stop.Token).ConfigureAwait(false);
                    }
                    catch (TransportClosedException)
                    {
                        // that channel is gone; its receive loop ends the link if it was the last
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    private void OnLocalCandidate(string line)
    {
        if (line.Length == 0)
        {
            return; // simple-peer never signals end-of-candidates
        }

        var candidate = line.StartsWith("a=", StringComparison.Ordinal) ? line[2..] : line;
        _ = PublishQuietlyAsync(new CandidateSignal(candidate, 0, _mid));
    }

    private async Task PublishQuietlyAsync(PeerSignal signal)
    {
        try
        {
            await _publish(this, signal).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SignallingException or InvalidOperationException or ArgumentException or OperationCanceledException)
        {
            _logger.LogDebug("y-webrtc peer {Peer}: signal not sent: {Reason}", RemotePeerId, ex.Message);
        }
    }

    private void OnStateChanged(PeerConnectionState state)
    {
        if (state is PeerConnectionState.Failed or PeerConnectionState.Closed)
        {
            End($"the connection is {state}");
        }
    }

    private void End(string reason)
    {
        if (Interlocked.Exchange(ref _hasEnded, 1) == 0)
        {
            _outbox.Writer.TryComplete();
            _ended(this, reason);
        }
    }

    private static string RandomLabel()
    {
        // simple-peer names its channel with 20 random bytes in hex; the label carries no meaning.
        Span<byte> bytes = stackalloc byte[20];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
