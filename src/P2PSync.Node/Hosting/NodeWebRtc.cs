using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Node.Transport.WebRtc.Signalling;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Members of a space that are not connected directly find each other on the space's rendezvous
/// topic of the relay's signalling (docs/protocol/webrtc-rendezvous.md), open a WebRTC peer
/// connection with one reliable ordered data channel "p2psync", run the same Noise handshake as
/// over TCP on it, and hand the result to the connection manager as a connection with path
/// "webrtc": sync, handoff and awareness run over it unchanged.
/// </summary>
/// <remarks>
/// Every message is signed by its sender and sealed with the space's key, so the relay learns
/// neither who talks nor what they say; the receiver takes only messages from current members,
/// fresh and not replayed (<see cref="RendezvousInbox"/>). The lower DeviceId offers
/// (<see cref="RendezvousRoles"/>). A device already connected (LAN or WebRTC) is left alone; a
/// LAN connection that comes later replaces the WebRTC one in the connection manager.
/// All decisions run on one reader task; sessions finish on their own tasks.
/// Split by concern: saying hello on the spaces' topics (.Announce), offer/answer sessions (.Sessions).
/// </remarks>
internal sealed partial class NodeWebRtc : IAsyncDisposable
{
    /// <summary>The label of the data channel that carries the Noise channel.</summary>
    public const string ChannelLabel = "p2psync";

    private readonly Uri _signalUri;
    private readonly WebRtcNodeOptions _options;
    private readonly DeviceKey _key;
    private readonly NodeSpaces _spaces;
    private readonly ConnectionManager _connections;
    private readonly Func<DeviceId, bool> _mayConnect;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly SignallingClient _signalling;
    private readonly IRendezvousSpaces _sealing;
    private readonly RendezvousInbox _inbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<DeviceId, RendezvousSession> _sessions = [];
    private readonly ConcurrentDictionary<string, SpaceId> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DeviceId, WebRtcConnection> _live = new();
    private readonly List<Task> _tasks = [];
    // A kick makes the announce loop say hello now instead of at its next tick (capacity 1: kicks coalesce).
    private readonly System.Threading.Channels.Channel<bool> _announceNow =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private Task _loop = Task.CompletedTask;
    private long _refused;

    public NodeWebRtc(Uri relay, WebRtcNodeOptions options, DeviceKey key, NodeSpaces spaces, ConnectionManager connections, Func<DeviceId, bool> mayConnect, TimeProvider time, Random random, ILogger logger)
    {
        _signalUri = SignallingClient.SignalUri(relay);
        _options = options;
        _key = key;
        _spaces = spaces;
        _connections = connections;
        _mayConnect = mayConnect;
        _time = time;
        _random = random;
        _logger = logger;
        _signalling = new SignallingClient(new SignallingClientOptions(), time, new Random(random.Next()), logger);
        _sealing = new NodeRendezvousSpaces(spaces);
        _inbox = new RendezvousInbox(key.Id, _sealing);
    }

    /// <summary>Whether the signalling connection to the relay is up.</summary>
    public bool SignallingConnected => _signalling.State == SignallingState.Connected;

    /// <summary>Rendezvous messages refused so far (stale, replayed, not a member, ...).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Whether the connection to the device that the connection manager runs now is ours (WebRTC).</summary>
    public bool IsConnectedOver(DeviceId device) => _live.ContainsKey(device);

    public void Start()
    {
        _spaces.Changed += OnSpaceChanged;
        _signalling.StateChanged += OnSignallingState;
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _spaces.Changed -= OnSpaceChanged;
        _signalling.StateChanged -= OnSignallingState;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        List<RendezvousSession> pending;
        Task[] running;
        lock (_gate)
        {
            pending = [.. _sessions.Values];
            _sessions.Clear();
            running = [.. _tasks];
        }

        foreach (var session in pending)
        {
            await AbandonAsync(session, "shutting down", tell: true).ConfigureAwait(false);
        }

        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await _signalling.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await FollowSpacesAsync().ConfigureAwait(false);
            var connecting = _signalling.ConnectAsync(_signalUri, _stop.Token);
            var announcing = AnnounceLoopAsync();
            try
            {
                await connecting.ConfigureAwait(false);
            }
            catch (SignallingException) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _logger.LogInformation("webrtc: signalling {Url} connected", _signalUri);
            await foreach (var message in _signalling.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await HandleAsync(message).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One peer's bad session must not end rendezvous for everyone.
                    _logger.LogWarning(ex, "webrtc: handling a rendezvous message failed");
                }
            }

            await announcing.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void OnSignallingState(SignallingState state)
    {
        if (state == SignallingState.Connected)
        {
            KickAnnounce();
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    private static byte[] NewSessionId() => RandomNumberGenerator.GetBytes(RendezvousMessage.SessionLength);
}
