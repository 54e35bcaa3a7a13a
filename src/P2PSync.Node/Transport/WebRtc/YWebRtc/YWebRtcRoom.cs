using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Signalling;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// This node as a member of one y-webrtc room, for one document. It behaves as a y-webrtc
/// <c>Room</c> does (y-webrtc.js), so browsers cannot tell it from another tab:
/// <list type="bullet">
/// <item>on every (re)connect of the signalling: subscribe to the room name, publish an announce;</item>
/// <item>an announce from a peer we have no link with: we initiate (offer) if under the limit;</item>
/// <item>payloads from ourselves, or addressed to another peer, are ignored;</item>
/// <item>crossed offers: the offer with the larger glare token wins; the other side answers it;</item>
/// <item>a link that ends is forgotten and we announce again, to find the peer (or others) anew.</item>
/// </list>
/// Document updates from anywhere (peers, the CLI, websocket clients, other room peers) go to
/// every link but the one they came from; so does awareness, through the node's awareness hub.
/// </summary>
internal sealed class YWebRtcRoom : IAsyncDisposable
{
    private readonly YWebRtcRoomOptions _options;
    private readonly DocumentHub _hub;
    private readonly AwarenessHub _awareness;
    private readonly IRoomSignalling _signalling;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    /// <summary>Most peers whose candidates we hold before their offer, and most candidates each: bounds what strangers can park here.</summary>
    private const int MaxEarlyPeers = 64;
    private const int MaxEarlyCandidates = 32;

    private readonly Dictionary<string, RoomPeerLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CandidateSignal>> _early = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private RoomKey? _key;
    private Task _readLoop = Task.CompletedTask;
    private long _refusedPayloads;
    private bool _disposed;

    public YWebRtcRoom(YWebRtcRoomOptions options, DocumentHub hub, AwarenessHub awareness, IRoomSignalling signalling, TimeProvider time, Random random, ILogger logger)
    {
        _options = options;
        _hub = hub;
        _awareness = awareness;
        _signalling = signalling;
        _time = time;
        _random = random;
        _logger = logger;
        PeerId = NewPeerId(random);
    }

    /// <summary>Our id in this room (a v4 uuid, like y-webrtc's; only meaningful inside the room).</summary>
    public string PeerId { get; }

    public string DocId => _options.DocId;

    public string RoomName => _options.RoomName;

    public bool HasPassword => _options.Password is not null;

    public bool SignallingConnected => _signalling.IsConnected;

    /// <summary>Payloads we could not read (another password, garbage): counted, as y-webrtc silently drops them.</summary>
    public long RefusedPayloads => Interlocked.Read(ref _refusedPayloads);

    /// <summary>Remote peers with an open data channel.</summary>
    public IReadOnlyList<string> ConnectedPeers
    {
        get
        {
            lock (_gate)
            {
                return [.. _links.Values.Where(l => l.IsOpen).Select(l => l.RemotePeerId)];
            }
        }
    }

    /// <summary>Derives the key (if any), joins the topic and starts listening; announces once the signalling is up.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Password is { } password)
        {
            // 100 000 PBKDF2 rounds: off the caller's thread.
            _key = await Task.Run(() => RoomKey.Derive(password, _options.RoomName), cancellationToken).ConfigureAwait(false);
        }

        _hub.Updated += OnUpdated;
        _awareness.LocalFrames += OnAwareness;
        _signalling.Connected += OnSignallingConnected;
        await _signalling.SubscribeAsync(_options.RoomName, cancellationToken).ConfigureAwait(false);
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        if (_signalling.IsConnected)
        {
            OnSignallingConnected();
        }
    }

    public async ValueTask DisposeAsync()
    {
        RoomPeerLink[] links;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            links = [.. _links.Values];
            _links.Clear();
        }

        _hub.Updated -= OnUpdated;
        _awareness.LocalFrames -= OnAwareness;
        _signalling.Connected -= OnSignallingConnected;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var link in links)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }

        await _signalling.DisposeAsync().ConfigureAwait(false);
        await _readLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _key?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Handles one publish the relay forwarded (one at a time, in arrival order, from the read loop).</summary>
    internal async Task HandleAsync(SignalMessage publish)
    {
        if (publish.Topic != _options.RoomName)
        {
            return;
        }

        RoomMessage message;
        try
        {
            message = RoomPayloadCodec.Decode(publish.Data, _key);
        }
        catch (YWebRtcFormatException ex)
        {
            Interlocked.Increment(ref _refusedPayloads);
            _logger.LogDebug("y-webrtc room {Room}: payload dropped: {Problem}", _options.RoomName, ex.Message);
            return;
        }

        if (message.From == PeerId || message is PeerSignalMessage { To: var to } && to != PeerId)
        {
            return;
        }

        try
        {
            switch (message)
            {
                case AnnounceMessage announce:
                    await OnAnnounceAsync(announce.From).ConfigureAwait(false);
                    break;
                case PeerSignalMessage signal:
                    await OnSignalAsync(signal).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is PeerConnectionException or WebRtcFormatException or ArgumentException or InvalidOperationException or SignallingException)
        {
            // One peer's failure (refused SDP, a full signalling queue) must not end the room's read loop.
            Interlocked.Increment(ref _refusedPayloads);
            _logger.LogWarning("y-webrtc room {Room}: signal from {Peer} refused: {Problem}", _options.RoomName, message.From, ex.Message);
            await DropAsync(message.From).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            await foreach (var publish in _signalling.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await HandleAsync(publish).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    private async Task OnAnnounceAsync(string from)
    {
        RoomPeerLink link;
        lock (_gate)
        {
            if (_disposed || _links.ContainsKey(from) || _links.Count >= _options.MaxConnections)
            {
                return;
            }

            link = NewLink(from, initiator: true);
        }

        _logger.LogInformation("y-webrtc room {Room}: {Peer} announced; offering", _options.RoomName, from);
        await link.StartAsInitiatorAsync().ConfigureAwait(false);
    }

    private async Task OnSignalAsync(PeerSignalMessage message)
    {
        RoomPeerLink? link;
        RoomPeerLink? replaced = null;
        List<CandidateSignal>? early = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _links.TryGetValue(message.From, out link);
            if (message.Signal is SessionDescriptionSignal { IsOffer: true })
            {
                if (link is { IsInitiator: true } mine && message.Token is { } theirs && mine.GlareToken > theirs)
                {
                    _logger.LogDebug("y-webrtc room {Room}: crossed offers with {Peer}; ours wins", _options.RoomName, message.From);
                    return;
                }

                // Theirs wins (or a fresh attempt after the peer lost the old one): answer it on a new connection.
                if (link is not null)
                {
                    replaced = link;
                    _links.Remove(message.From);
                    link = null;
                }

                if (_links.Count >= _options.MaxConnections)
                {
                    _logger.LogInformation("y-webrtc room {Room}: offer from {Peer} not taken: {Max} connections already", _options.RoomName, message.From, _options.MaxConnections);
                    return;
                }

                link = NewLink(message.From, initiator: false);
                _early.Remove(message.From, out early);
            }
            else if (link is null)
            {
                // A candidate that overtook its offer is held for it (simple-peer queues them the same
                // way); an answer or renegotiation for a connection we do not hold is stale.
                if (message.Signal is CandidateSignal candidate && (_early.ContainsKey(message.From) || _early.Count < MaxEarlyPeers))
                {
                    var held = CollectionsMarshal.GetValueRefOrAddDefault(_early, message.From, out _) ??= [];
                    if (held.Count < MaxEarlyCandidates)
                    {
                        held.Add(candidate);
                    }
                }

                return;
            }
        }

        if (replaced is not null)
        {
            await replaced.DisposeAsync().ConfigureAwait(false);
        }

        await link.HandleSignalAsync(message.Signal).ConfigureAwait(false);
        foreach (var candidate in early ?? [])
        {
            await link.HandleSignalAsync(candidate).ConfigureAwait(false);
        }
    }

    /// <summary>Called with the gate held.</summary>
    private RoomPeerLink NewLink(string remotePeerId, bool initiator)
    {
        var token = _time.GetUtcNow().ToUnixTimeMilliseconds() + _random.NextDouble();
        var connection = new PeerConnection(_options.PeerConnection, _time, new Random(_random.Next()));
        var link = new RoomPeerLink(
            remotePeerId,
            initiator,
            token,
            connection,
            new RoomPeerSync(_options.DocId, _hub, _awareness, remotePeerId),
            PublishAsync,
            OnLinkEnded,
            _logger);
        _links.Add(remotePeerId, link);
        return link;
    }

    private ValueTask PublishAsync(RoomPeerLink link, PeerSignal signal) =>
        PublishAsync(new PeerSignalMessage(PeerId, link.RemotePeerId, link.GlareToken, signal));

    private ValueTask PublishAsync(RoomMessage message)
    {
        using var document = JsonDocument.Parse(RoomPayloadCodec.Encode(message, _key).ToJsonString());
        return _signalling.PublishAsync(_options.RoomName, document.RootElement.Clone(), _stop.Token);
    }

    private void OnSignallingConnected()
    {
        _ = AnnounceAsync();
    }

    private async Task AnnounceAsync()
    {
        try
        {
            await PublishAsync(new AnnounceMessage(PeerId)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SignallingException or ObjectDisposedException or OperationCanceledException)
        {
            _logger.LogDebug("y-webrtc room {Room}: announce not sent: {Reason}", _options.RoomName, ex.Message);
        }
    }

    private void OnLinkEnded(RoomPeerLink link, string reason)
    {
        lock (_gate)
        {
            if (_disposed || !_links.TryGetValue(link.RemotePeerId, out var current) || !ReferenceEquals(current, link))
            {
                return;
            }

            _links.Remove(link.RemotePeerId);
        }

        _logger.LogInformation("y-webrtc room {Room}: link to {Peer} ended: {Reason}", _options.RoomName, link.RemotePeerId, reason);
        _ = Task.Run(async () =>
        {
            await link.DisposeAsync().ConfigureAwait(false);
            await AnnounceAsync().ConfigureAwait(false);
        });
    }

    private async Task DropAsync(string remotePeerId)
    {
        RoomPeerLink? link;
        lock (_gate)
        {
            if (_links.Remove(remotePeerId, out link) is false)
            {
                return;
            }
        }

        await link!.DisposeAsync().ConfigureAwait(false);
    }

    // An empty update is a record-only announcement: nothing for room peers.
    private void OnUpdated(DocumentUpdate update)
    {
        if (update.DocId != _options.DocId || update.Update.Length == 0)
        {
            return;
        }

        Broadcast(YWebsocketMessage.ForSync(SyncMessage.Update(update.Update)).Encode(), update.Source);
    }

    private void OnAwareness(AwarenessLocalFrame frame)
    {
        if (frame.DocId == _options.DocId)
        {
            Broadcast(YWebsocketMessage.ForAwareness(frame.Update).Encode(), frame.Except);
        }
    }

    private void Broadcast(byte[] message, object? except)
    {
        lock (_gate)
        {
            foreach (var link in _links.Values)
            {
                if (!ReferenceEquals(link.Sync, except))
                {
                    link.Enqueue(message);
                }
            }
        }
    }

    /// <summary>A version 4 uuid from the room's random source, in y-webrtc's text form.</summary>
    private static string NewPeerId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
