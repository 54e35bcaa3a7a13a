using Microsoft.Extensions.Logging;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Runs the pure <see cref="HandoffEngine"/> for the node: <see cref="NodePeerSync"/> hands it the
/// Presence and Handoff* envelopes of every connection and tells it when links come and go; the
/// local API gives it commands. Outputs go onto the peers' <see cref="PeerLink"/> outboxes and into
/// <see cref="Events"/>; <see cref="HandoffEngine.Poll"/> runs at the engine's next wake-up on a
/// <see cref="TimeProvider"/> timer.
/// </summary>
/// <remarks>
/// The engine is single-threaded: every call takes <see cref="_gate"/>. It is its own lock, not the
/// sync gate, so a large transfer (encoding a diff once, queueing its chunks, applying a document)
/// never holds up sync traffic on other connections. Lock order is this gate, then the hub's lock
/// (the engine reads and applies documents); nothing that holds the hub's lock calls in here, and
/// <see cref="ActivityStore.Changed"/> is answered on the thread pool, never inside an engine call.
/// </remarks>
internal sealed class NodeHandoff : IDisposable
{
    private readonly HandoffEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly PeerLinkRegistry _links;
    private readonly ITimer _timer;
    private int _presencePending;
    private bool _disposed;

    /// <param name="links">Where envelopes for a peer go; <see cref="NodePeerSync"/> keeps it current.</param>
    public NodeHandoff(DeviceId local, DocumentHub hub, NodeSpaces spaces, PeerLinkRegistry links, ActivityStore activity, TimeProvider time, Func<string> newId, HandoffOptions options, ILogger logger)
    {
        _links = links;
        Activity = activity;
        _time = time;
        _logger = logger;
        _engine = new HandoffEngine(local, new HubHandoffDocuments(hub, spaces, logger), activity, time, newId, options);
        _timer = time.CreateTimer(_ => Poll(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        activity.Changed += OnActivityChanged;
    }

    /// <summary>This device's activity (set through the API, replaced by a handoff in).</summary>
    public ActivityStore Activity { get; }

    /// <summary>Every handoff event, for the API's event stream and the CLI.</summary>
    public HandoffEventFeed Events { get; } = new();

    public TimeProvider Time => _time;

    /// <summary>Handoffs in both directions, running and recently finished.</summary>
    public IReadOnlyList<HandoffInfo> Handoffs
    {
        get
        {
            lock (_gate)
            {
                return _engine.Handoffs.ToList();
            }
        }
    }

    /// <summary>The latest Presence of each connected peer.</summary>
    public IReadOnlyDictionary<DeviceId, Presence> PeerActivities
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<DeviceId, Presence>(_engine.PeerActivities);
            }
        }
    }

    /// <summary>True for the envelope bodies this class handles instead of the sync coordinator.</summary>
    public static bool Handles(Envelope envelope) => envelope.BodyCase is
        Envelope.BodyOneofCase.Presence or
        Envelope.BodyOneofCase.HandoffOffer or
        Envelope.BodyOneofCase.HandoffRequest or
        Envelope.BodyOneofCase.HandoffDecline or
        Envelope.BodyOneofCase.HandoffBegin or
        Envelope.BodyOneofCase.HandoffChunk or
        Envelope.BodyOneofCase.HandoffResult;

    /// <summary>A (new) link to <paramref name="peer"/> is in the registry (after the sync Hello was queued): it gets our Presence.</summary>
    public void OnConnected(DeviceId peer) => Run(engine => engine.OnConnected(peer));

    /// <summary>The peer's last link closed: transfers with it fail, its Presence is forgotten.</summary>
    public void OnDisconnected(DeviceId peer) => Run(engine => engine.OnDisconnected(peer));

    /// <summary>A Presence or Handoff* envelope from <paramref name="from"/>.</summary>
    /// <exception cref="HandoffProtocolException">The peer broke the protocol: close its connection.</exception>
    public void Receive(DeviceId from, Envelope envelope) => Run(engine => engine.OnEnvelope(from, envelope));

    /// <summary>Offers our activity to <paramref name="to"/>; returns the handoff id.</summary>
    /// <exception cref="HandoffException">Not connected, or nothing to offer.</exception>
    public string Offer(DeviceId to) => Command(engine => engine.Offer(to), Envelope.BodyOneofCase.HandoffOffer);

    /// <summary>Asks <paramref name="from"/> for its activity; returns the handoff id.</summary>
    /// <exception cref="HandoffException">Not connected, or it advertises nothing.</exception>
    public string Pull(DeviceId from) => Command(engine => engine.Pull(from), Envelope.BodyOneofCase.HandoffRequest);

    /// <exception cref="HandoffException">Unknown id, or not an offer waiting for an answer.</exception>
    public void Accept(string handoffId) => Run(engine => engine.Accept(handoffId), isCommand: true);

    /// <exception cref="HandoffException">Unknown id, or not an offer waiting for an answer.</exception>
    public void Decline(string handoffId, string reason) => Run(engine => engine.Decline(handoffId, reason), isCommand: true);

    /// <summary>True if the engine knows a handoff with this id (running or recently finished).</summary>
    public bool Knows(string handoffId)
    {
        lock (_gate)
        {
            return _engine.Handoffs.Any(h => h.Id == handoffId);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Activity.Changed -= OnActivityChanged;
        _timer.Dispose();
        Events.Close();
    }

    /// <summary>Runs a command and finds the id of the handoff it started in the message it sends.</summary>
    private string Command(Func<HandoffEngine, HandoffOutput> command, Envelope.BodyOneofCase sent)
    {
        string? id = null;
        Run(engine =>
        {
            var output = command(engine);
            id = output.Send.Select(s => s.Envelope).Where(e => e.BodyCase == sent)
                .Select(e => sent == Envelope.BodyOneofCase.HandoffOffer ? e.HandoffOffer.HandoffId : e.HandoffRequest.HandoffId)
                .FirstOrDefault();
            return output;
        }, isCommand: true);
        return id ?? throw new InvalidOperationException($"the handoff engine started a handoff without sending {sent}");
    }

    private void Poll()
    {
        try
        {
            Run(engine => engine.Poll());
        }
        catch (Exception ex) when (ex is HandoffException or InvalidOperationException)
        {
            _logger.LogWarning("handoff poll failed: {Reason}", ex.Message);
        }
    }

    private void OnActivityChanged(Activity activity)
    {
        // Raised inside engine calls too (a handoff in replaces the activity): answer later, on the
        // pool, so the engine is never re-entered. Several changes in a row cost one Presence round.
        if (Interlocked.Exchange(ref _presencePending, 1) == 0)
        {
            _ = Task.Run(() =>
            {
                Interlocked.Exchange(ref _presencePending, 0);
                Run(engine => engine.OnActivityChanged());
            });
        }
    }

    /// <summary>One engine call under the gate; its envelopes are queued on the links, its events published, the timer re-armed.</summary>
    /// <param name="isCommand">A command of the API: refused with a <see cref="HandoffException"/> once the node stops (events are just dropped then).</param>
    private void Run(Func<HandoffEngine, HandoffOutput> step, bool isCommand = false)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                if (isCommand)
                {
                    throw new HandoffException("the node is shutting down");
                }

                return;
            }

            HandoffOutput output;
            try
            {
                output = step(_engine);
            }
            finally
            {
                Rearm();
            }

            foreach (var (to, envelope) in output.Send)
            {
                if (!_links.Send(to, envelope))
                {
                    _logger.LogDebug("handoff message for {Device} dropped: not connected", to.ToShortString());
                }
            }

            if (output.Events.Count > 0)
            {
                Events.Publish(output.Events);
                foreach (var e in output.Events.Where(e => e.Kind is not HandoffEvent.Progress))
                {
                    _logger.LogInformation("handoff {Id} {Kind} ({Peer}){Reason}", e.HandoffId, e.Kind, e.Peer.ToShortString(), e.Reason is null ? "" : ": " + e.Reason);
                }
            }
        }
    }

    private void Rearm()
    {
        if (_engine.NextWakeUp is { } due)
        {
            var wait = due - _time.GetUtcNow();
            _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
