using System.Text;
using Google.Protobuf;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Handoff;

/// <summary>
/// The y-protocols awareness states (who is here, cursors, selections) of every document, from
/// local websocket clients, from connected peers and from this device itself, and who must hear
/// of each change. A pure state machine over an injected clock: the caller runs <see cref="Poll"/>
/// at <see cref="NextWakeUp"/> (or <see cref="StartTimer"/> does it every <see cref="CheckInterval"/>,
/// as Yjs checks every 3 s), and sends the frames it returns or raises.
/// </summary>
/// <remarks>
/// Rules, per (document, client id), following y-protocols' awareness.js:
/// <list type="bullet">
/// <item>A higher clock wins from anyone (state or removal) and is relayed to everyone except its sender.
/// Anything else is dropped, which is what stops relays from looping: in a triangle each node
/// accepts a clock once, so the copy that comes round the other way is older-or-equal and dies.</item>
/// <item>A removal with the same clock (Yjs's "this path lost the client": timeout, peer gone) is
/// believed only from the state's origin, so a peer that lost its path cannot delete a state this
/// node still gets directly; echoes of y-websocket clients (which resend every change they apply)
/// are dropped by the same rule.</item>
/// <item>A removed state never comes back with the same clock (as in Yjs): for one clock, who
/// accepted it from whom forms a tree rooted at its owner, so removals follow that tree and every
/// state changes at most twice per clock; allowing same-clock returns lets a removal and a live
/// copy chase each other round a cycle forever. A state lost by a broken path reappears with its
/// next renewal (Yjs clients renew every 15 s); this device's own states are renewed at once
/// whenever a peer connects.</item>
/// <item>This device's own states are never overridden: a higher clock, or a removal with the same
/// clock, is answered by reasserting ours with a clock above it, as a Yjs client does for its
/// local state. Own states start at clock 1 (y-protocols ignores 0 from a client it does not know).</item>
/// <item>States not renewed for <see cref="Timeout"/> are removed (same clock), own states are renewed
/// every <see cref="RenewInterval"/>. When a peer disconnects, the states it was the origin of are
/// removed at once (same clock); when a websocket closes, its states are removed with the next
/// clock (a real departure that beats every copy). Everyone is told.</item>
/// </list>
/// Thread-safe; events and returned frames are produced after the lock is released.
/// </remarks>
internal sealed class AwarenessHub
{
    /// <summary>A state not renewed for this long is gone (y-protocols <c>outdatedTimeout</c>).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Own states are renewed this often, so nobody times them out.</summary>
    public static readonly TimeSpan RenewInterval = Timeout / 2;

    /// <summary>How often <see cref="StartTimer"/> polls (y-protocols checks every outdatedTimeout / 10).</summary>
    public static readonly TimeSpan CheckInterval = Timeout / 10;

    /// <summary>Largest client id or clock accepted: lib0 in JavaScript refuses varuints above 2^53 - 1.</summary>
    public const ulong MaxSafeInteger = (1UL << 53) - 1;

    /// <summary>Most states (live and recently removed, all documents) held at once, so a peer cannot fill memory.</summary>
    public const int MaxStates = 10_000;

    /// <summary>Largest state JSON (UTF-8) accepted: names and cursors are small, and every state is relayed to everyone.</summary>
    public const int MaxStateBytes = 64 * 1024;

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<ulong, AwarenessStateEntry>> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<DeviceId, int> _peers = [];
    private int _count;

    public AwarenessHub(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>
    /// Frames for peers caused by something other than a host call: a websocket client, this
    /// device's own state, or <see cref="Tick"/>. Raised outside the hub's lock, possibly on a
    /// websocket's thread; the handler must only queue the frames (never block). Frames may be
    /// shared between recipients: do not modify them.
    /// </summary>
    public event Action<IReadOnlyList<(DeviceId To, AwarenessFrame Frame)>>? PeerFrames;

    /// <summary>Awareness updates for the local websocket clients of a document (every call may raise these).</summary>
    public event Action<AwarenessLocalFrame>? LocalFrames;

    /// <summary>When <see cref="Poll"/> next has something to do (a renewal, a timeout, forgetting a removal); null when nothing is held.</summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset? next = null;
                foreach (var states in _documents.Values)
                {
                    foreach (var entry in states.Values)
                    {
                        var due = entry.At + (entry.IsLive && entry.Origin.Kind == AwarenessOriginKind.Self ? RenewInterval : Timeout);
                        if (next is null || due < next)
                        {
                            next = due;
                        }
                    }
                }

                return next;
            }
        }
    }

    /// <summary>Peers currently connected (those frames go to).</summary>
    public IReadOnlyCollection<DeviceId> ConnectedPeers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers.Keys];
            }
        }
    }

    /// <summary>
    /// Decodes and checks an awareness update without touching any state: a valid document id,
    /// a well-formed y-protocols awareness update with JSON states, client ids and clocks a
    /// JavaScript peer can read, states of at most <see cref="MaxStateBytes"/>.
    /// </summary>
    /// <exception cref="AwarenessFormatException">Any of that fails.</exception>
    public static IReadOnlyList<AwarenessEntry> Validate(string docId, ReadOnlySpan<byte> update)
    {
        ArgumentNullException.ThrowIfNull(docId);
        try
        {
            EnvelopeValidator.ValidateDocId(docId);
        }
        catch (WireFormatException ex)
        {
            throw new AwarenessFormatException($"awareness for a bad document id: {ex.Message}", ex);
        }

        IReadOnlyList<AwarenessEntry> entries;
        try
        {
            entries = AwarenessUpdate.Decode(update);
        }
        catch (YProtocolFormatException ex)
        {
            throw new AwarenessFormatException($"awareness update for document {docId}: {ex.Message}", ex);
        }

        if (entries.Count > MaxStates)
        {
            throw new AwarenessFormatException($"awareness update for document {docId} has {entries.Count} states; at most {MaxStates} are held");
        }

        foreach (var entry in entries)
        {
            if (entry.ClientId > MaxSafeInteger || entry.Clock > MaxSafeInteger)
            {
                throw new AwarenessFormatException($"awareness update for document {docId}: client {entry.ClientId} clock {entry.Clock} is above 2^53 - 1, which JavaScript peers cannot read");
            }

            var size = Encoding.UTF8.GetByteCount(entry.StateJson);
            if (size > MaxStateBytes)
            {
                throw new AwarenessFormatException($"awareness update for document {docId}: the state of client {entry.ClientId} is {size} bytes; at most {MaxStateBytes} are allowed");
            }
        }

        return entries;
    }

    /// <summary>
    /// A peer connected (count its connections: a replacing connection may come up before the
    /// old one is gone). Returns, for that peer, every live state it did not send us itself; and
    /// this device's own states renewed for everyone, because a peer that lost them with the
    /// connection keeps their old clock removed.
    /// </summary>
    public IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> OnPeerConnected(DeviceId peer)
    {
        if (peer.IsEmpty)
        {
            throw new ArgumentException("an empty device id names no peer", nameof(peer));
        }

        var frames = new List<(DeviceId, AwarenessFrame)>();
        var renewed = new AwarenessBroadcast();
        DeviceId[] peers;
        lock (_gate)
        {
            _peers[peer] = _peers.GetValueOrDefault(peer) + 1;
            var now = _time.GetUtcNow();
            foreach (var (docId, states) in _documents)
            {
                var live = new List<AwarenessEntry>();
                foreach (var (clientId, entry) in states)
                {
                    if (entry is { IsLive: true, Origin.Kind: AwarenessOriginKind.Self } && entry.Clock < MaxSafeInteger)
                    {
                        entry.Clock++;
                        entry.At = now;
                        renewed.Add(docId, null, new AwarenessEntry(clientId, entry.Clock, entry.StateJson!));
                    }
                    else if (entry.IsLive && !entry.Origin.IsPeer(peer))
                    {
                        live.Add(new AwarenessEntry(clientId, entry.Clock, entry.StateJson!));
                    }
                }

                if (live.Count > 0)
                {
                    frames.Add((peer, Frame(docId, AwarenessUpdate.Encode(live))));
                }
            }

            peers = [.. _peers.Keys];
        }

        frames.AddRange(Deliver(renewed, peers));
        return frames;
    }

    /// <summary>
    /// A connection to a peer ended. When it was the last one, the states it was the origin of are
    /// removed at once; local clients and the other peers are told (same clock, as Yjs removes).
    /// Unknown peers are ignored, so a host may call this from any cleanup path.
    /// </summary>
    public IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> OnPeerDisconnected(DeviceId peer)
    {
        var broadcast = new AwarenessBroadcast();
        DeviceId[] peers;
        lock (_gate)
        {
            if (!_peers.TryGetValue(peer, out var connections))
            {
                return [];
            }

            if (connections > 1)
            {
                _peers[peer] = connections - 1;
                return [];
            }

            _peers.Remove(peer);
            var now = _time.GetUtcNow();
            var origin = AwarenessOrigin.Peer(peer);
            foreach (var (docId, states) in _documents)
            {
                foreach (var (clientId, entry) in states)
                {
                    if (entry.IsLive && entry.Origin.Equals(origin))
                    {
                        entry.StateJson = null;
                        entry.At = now;
                        broadcast.Add(docId, origin, new AwarenessEntry(clientId, entry.Clock, "null"));
                    }
                }
            }

            peers = [.. _peers.Keys];
        }

        return Deliver(broadcast, peers);
    }

    /// <summary>An AwarenessFrame from a connected peer. Returns what to relay to the other peers.</summary>
    /// <exception cref="AwarenessFormatException">The frame is malformed or over a limit; nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The peer is not connected (a host bug).</exception>
    public IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> OnPeerFrame(DeviceId from, AwarenessFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var entries = Validate(frame.DocId, frame.Update.Span);
        lock (_gate)
        {
            if (!_peers.ContainsKey(from))
            {
                throw new InvalidOperationException($"awareness from {from.ToShortString()}, which is not connected");
            }
        }

        return Apply(frame.DocId, AwarenessOrigin.Peer(from), entries);
    }

    /// <summary>An awareness update from a local websocket client; frames for peers go out on <see cref="PeerFrames"/>.</summary>
    /// <exception cref="AwarenessFormatException">The update is malformed or over a limit; nothing changed.</exception>
    public void OnLocalUpdate(string docId, object client, ReadOnlySpan<byte> update)
    {
        ArgumentNullException.ThrowIfNull(client);
        var entries = Validate(docId, update);
        Raise(Apply(docId, AwarenessOrigin.Local(client), entries));
    }

    /// <summary>
    /// A websocket client left: the states it was the origin of are removed with the next clock
    /// (a real departure, so it beats every copy of the old state anywhere) and everyone is told.
    /// </summary>
    public void OnLocalClosed(string docId, object client)
    {
        ArgumentNullException.ThrowIfNull(docId);
        var origin = AwarenessOrigin.Local(client);
        var broadcast = new AwarenessBroadcast();
        DeviceId[] peers;
        lock (_gate)
        {
            if (!_documents.TryGetValue(docId, out var states))
            {
                return;
            }

            var now = _time.GetUtcNow();
            foreach (var (clientId, entry) in states)
            {
                if (entry.IsLive && entry.Origin.Equals(origin))
                {
                    entry.Clock = Math.Min(entry.Clock + 1, MaxSafeInteger);
                    entry.StateJson = null;
                    entry.At = now;
                    broadcast.Add(docId, origin, new AwarenessEntry(clientId, entry.Clock, "null"));
                }
            }

            peers = [.. _peers.Keys];
        }

        Raise(Deliver(broadcast, peers));
    }

    /// <summary>
    /// Sets (or with null removes) this device's own state for a document under
    /// <paramref name="clientId"/>; changes go to local clients and every peer. Setting the same
    /// JSON again changes nothing (renewal is <see cref="Poll"/>'s job).
    /// </summary>
    /// <exception cref="AwarenessFormatException">Bad document id, client id above 2^53 - 1, or state not JSON / too large.</exception>
    public void SetOwnState(string docId, ulong clientId, string? stateJson)
    {
        if (stateJson is "null")
        {
            stateJson = null;
        }

        // Validate through the same path as everything else, so own states obey the same rules.
        Validate(docId, AwarenessUpdate.Encode([new AwarenessEntry(clientId, 0, stateJson ?? "null")]));
        var broadcast = new AwarenessBroadcast();
        DeviceId[] peers;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var states = StatesOf(docId);
            states.TryGetValue(clientId, out var known);
            if (stateJson is null)
            {
                if (known is not { IsLive: true } || known.Origin.Kind != AwarenessOriginKind.Self)
                {
                    RemoveIfEmpty(docId, states);
                    return;
                }

                known.Clock = Math.Min(known.Clock + 1, MaxSafeInteger);
                known.StateJson = null;
                known.At = now;
                broadcast.Add(docId, null, new AwarenessEntry(clientId, known.Clock, "null"));
            }
            else
            {
                if (known is { IsLive: true } && known.Origin.Kind == AwarenessOriginKind.Self && known.StateJson == stateJson)
                {
                    return;
                }

                if (known is null)
                {
                    // Clock 1, not 0: y-protocols ignores clock 0 from a client it does not know yet
                    // (its own clients start at 0 locally and first send 1), so a 0 would stay unseen
                    // in every browser until the first renewal.
                    known = new AwarenessStateEntry(1, stateJson, AwarenessOrigin.Self, now);
                    states.Add(clientId, known);
                    _count++;
                }
                else
                {
                    known.Clock = Math.Min(known.Clock + 1, MaxSafeInteger);
                    known.StateJson = stateJson;
                    known.Origin = AwarenessOrigin.Self;
                    known.At = now;
                }

                broadcast.Add(docId, null, new AwarenessEntry(clientId, known.Clock, stateJson));
            }

            peers = [.. _peers.Keys];
        }

        Raise(Deliver(broadcast, peers));
    }

    /// <summary>
    /// Renews own states older than <see cref="RenewInterval"/>, removes others not renewed for
    /// <see cref="Timeout"/> (telling local clients and peers), and forgets removals older than
    /// <see cref="Timeout"/>. Returns the frames for peers.
    /// </summary>
    public IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> Poll()
    {
        var broadcast = new AwarenessBroadcast();
        DeviceId[] peers;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var (docId, states) in _documents.ToList())
            {
                foreach (var (clientId, entry) in states.ToList())
                {
                    if (!entry.IsLive)
                    {
                        if (now - entry.At >= Timeout)
                        {
                            states.Remove(clientId);
                            _count--;
                        }
                    }
                    else if (entry.Origin.Kind == AwarenessOriginKind.Self)
                    {
                        if (now - entry.At >= RenewInterval && entry.Clock < MaxSafeInteger)
                        {
                            entry.Clock++;
                            entry.At = now;
                            broadcast.Add(docId, null, new AwarenessEntry(clientId, entry.Clock, entry.StateJson!));
                        }
                    }
                    else if (now - entry.At >= Timeout)
                    {
                        entry.StateJson = null;
                        entry.At = now;
                        broadcast.Add(docId, entry.Origin, new AwarenessEntry(clientId, entry.Clock, "null"));
                    }
                }

                RemoveIfEmpty(docId, states);
            }

            peers = [.. _peers.Keys];
        }

        return Deliver(broadcast, peers);
    }

    /// <summary>Runs <see cref="Poll"/> and raises its frames on <see cref="PeerFrames"/>.</summary>
    public void Tick() => Raise(Poll());

    /// <summary>A timer that calls <see cref="Tick"/> every <see cref="CheckInterval"/>; dispose it to stop.</summary>
    /// <remarks>One-shot and re-armed after each tick, so a slow tick never overlaps the next one.</remarks>
    public ITimer StartTimer()
    {
        var holder = new ITimer?[1];
        holder[0] = _time.CreateTimer(
            _ =>
            {
                Tick();
                try
                {
                    holder[0]?.Change(CheckInterval, System.Threading.Timeout.InfiniteTimeSpan);
                }
                catch (ObjectDisposedException)
                {
                    // Stopped while ticking: nothing more to schedule.
                }
            },
            null,
            CheckInterval,
            System.Threading.Timeout.InfiniteTimeSpan);
        return holder[0]!;
    }

    /// <summary>Every live state of a document as one awareness update (what a joining client gets), or null when there is none.</summary>
    public byte[]? Current(string docId)
    {
        var live = States(docId);
        return live.Count == 0 ? null : AwarenessUpdate.Encode(live);
    }

    /// <summary>The live states of a document, ordered by client id.</summary>
    public IReadOnlyList<AwarenessEntry> States(string docId)
    {
        ArgumentNullException.ThrowIfNull(docId);
        lock (_gate)
        {
            return _documents.TryGetValue(docId, out var states)
                ? states.Where(s => s.Value.IsLive).OrderBy(s => s.Key).Select(s => new AwarenessEntry(s.Key, s.Value.Clock, s.Value.StateJson!)).ToList()
                : [];
        }
    }

    /// <summary>
    /// The documents in which <paramref name="device"/> publishes its own device state (see
    /// <see cref="DevicePresence"/>), i.e. what it has open; ordered by id.
    /// </summary>
    public IReadOnlyList<string> DocumentsOpenOn(DeviceId device)
    {
        var id = device.ToString();
        List<(string DocId, string StateJson)> live;
        lock (_gate)
        {
            live = [.. _documents.SelectMany(d => d.Value.Values.Where(e => e.IsLive).Select(e => (d.Key, e.StateJson!)))];
        }

        return live
            .Where(s => DevicePresence.DeviceIdOf(s.StateJson) == id)
            .Select(s => s.DocId)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> Apply(string docId, AwarenessOrigin origin, IReadOnlyList<AwarenessEntry> entries)
    {
        var broadcast = new AwarenessBroadcast();
        DeviceId[] peers;
        lock (_gate)
        {
            var states = StatesOf(docId);
            var added = entries.Select(e => e.ClientId).Distinct().Count(id => !states.ContainsKey(id));
            if (_count + added > MaxStates)
            {
                RemoveIfEmpty(docId, states);
                throw new AwarenessFormatException($"awareness update for document {docId} would make {_count + added} states; at most {MaxStates} are held");
            }

            var now = _time.GetUtcNow();
            foreach (var entry in entries)
            {
                Accept(docId, states, origin, entry, now, broadcast);
            }

            RemoveIfEmpty(docId, states);
            peers = [.. _peers.Keys];
        }

        return Deliver(broadcast, peers);
    }

    private void Accept(string docId, Dictionary<ulong, AwarenessStateEntry> states, AwarenessOrigin origin, AwarenessEntry entry, DateTimeOffset now, AwarenessBroadcast broadcast)
    {
        var state = entry.IsRemoval ? null : entry.StateJson;
        if (!states.TryGetValue(entry.ClientId, out var known))
        {
            states.Add(entry.ClientId, new AwarenessStateEntry(entry.Clock, state, origin, now));
            _count++;
            broadcast.Add(docId, origin, entry);
            return;
        }

        if (known is { IsLive: true, Origin.Kind: AwarenessOriginKind.Self })
        {
            // Someone removes or overrides our own client id: keep ours and say so with a clock
            // above theirs (as y-protocols does for its local state). An equal-clock copy of our
            // state is our own relayed back round a cycle and must die here, not be reasserted.
            var claim = entry.Clock > known.Clock || (entry.Clock == known.Clock && entry.IsRemoval);
            if (claim && entry.Clock < MaxSafeInteger)
            {
                known.Clock = entry.Clock + 1;
                known.At = now;
                broadcast.Add(docId, null, new AwarenessEntry(entry.ClientId, known.Clock, known.StateJson!));
            }

            return;
        }

        var newer = entry.Clock > known.Clock;
        var lostByOrigin = entry.Clock == known.Clock && entry.IsRemoval && known.IsLive && known.Origin.Equals(origin);
        if (!(newer || lostByOrigin))
        {
            return;
        }

        known.Clock = entry.Clock;
        known.StateJson = state;
        known.Origin = origin;
        known.At = now;
        broadcast.Add(docId, origin, entry);
    }

    private Dictionary<ulong, AwarenessStateEntry> StatesOf(string docId)
    {
        if (!_documents.TryGetValue(docId, out var states))
        {
            states = [];
            _documents.Add(docId, states);
        }

        return states;
    }

    private void RemoveIfEmpty(string docId, Dictionary<ulong, AwarenessStateEntry> states)
    {
        if (states.Count == 0)
        {
            _documents.Remove(docId);
        }
    }

    /// <summary>Raises the local frames and builds the peer frames of a broadcast; called outside the lock.</summary>
    private List<(DeviceId To, AwarenessFrame Frame)> Deliver(AwarenessBroadcast broadcast, DeviceId[] peers)
    {
        var frames = new List<(DeviceId, AwarenessFrame)>();
        foreach (var (docId, except, entries) in broadcast.Groups)
        {
            var update = AwarenessUpdate.Encode(entries);
            var exceptClient = except is { Kind: AwarenessOriginKind.Local } local ? local.Client : null;
            LocalFrames?.Invoke(new AwarenessLocalFrame(docId, update, exceptClient));
            AwarenessFrame? frame = null;
            foreach (var peer in peers)
            {
                if (except is { } origin && origin.IsPeer(peer))
                {
                    continue;
                }

                frame ??= Frame(docId, update);
                frames.Add((peer, frame));
            }
        }

        return frames;
    }

    private void Raise(IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> frames)
    {
        if (frames.Count > 0)
        {
            PeerFrames?.Invoke(frames);
        }
    }

    private static AwarenessFrame Frame(string docId, byte[] update) => new() { DocId = docId, Update = ByteString.CopyFrom(update) };
}
