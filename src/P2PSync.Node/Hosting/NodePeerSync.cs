using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PSync.Crdt;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Node.Transport;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Runs the pure <see cref="SyncCoordinator{TKey}"/> over real connections. Every coordinator
/// call happens under one async gate (the coordinator is single-threaded by design). Local
/// changes (websocket, API, CLI) arrive from <see cref="DocumentHub"/> events, which fire under
/// the hub's lock, so they are queued and fed to the coordinator by a pump task: the gate is
/// never WAITED for while holding the hub's lock (the pump only tries it there, see
/// <see cref="_localChanges"/>), so the two cannot deadlock. Received envelopes are handled in
/// group-commit batches (<see cref="DocumentHub.Batch{T}"/>): one store commit per burst.
/// </summary>
internal sealed class NodePeerSync : IAsyncDisposable
{
    private readonly DocumentHub _hub;
    private readonly HubSyncSource _source;
    private readonly SyncCoordinator<PeerLink> _coordinator;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Synchronous continuations: an idle pump relays a local change in the announcing thread (no
    // thread pool hop). That thread holds the hub lock, but it only ever TRIES the gate (WaitAsync
    // goes async when the gate is taken), so it never blocks and cannot deadlock with a holder of
    // the gate waiting for the hub lock.
    private readonly Channel<Func<IReadOnlyList<OutgoingEnvelope<PeerLink>>>> _localChanges =
        Channel.CreateUnbounded<Func<IReadOnlyList<OutgoingEnvelope<PeerLink>>>>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Task _pump;
    private readonly ISentLog _sentLog;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DeviceId, PeerCatchUp> _catchUps = new();
    private readonly NodeHandoff? _handoff;
    private readonly NodeAwareness? _awareness;
    private readonly PeerLinkRegistry _links;
    private readonly NodeSpaces _spaces;
    private readonly Func<DeviceId, bool> _admits;
    private readonly Func<DeviceId, bool> _isTrusted;

    // (space, device) pairs already told of their removal (see OnSpaceChanged).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(SpaceId, DeviceId), byte> _removalsTold = new();

    // Every link being served, own devices or not: what OnSpaceChanged re-checks for admission.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PeerLink, DeviceId> _served = new();

    /// <summary>How long the removal notice gets to leave before the connection of a removed device closes.</summary>
    private static readonly TimeSpan RemovalNoticeGrace = TimeSpan.FromMilliseconds(300);


    /// <summary>Most envelopes handled as one group commit (bounds the latency a backlog adds).</summary>
    private const int MaxBatchEnvelopes = 512;

    /// <param name="links">Kept current with every served link, for the parts that address peers by device; null = a private one.</param>
    /// <param name="handoff">Gets the Presence and Handoff* envelopes and hears of links coming and going; null = none (the coordinator skips those bodies).</param>
    /// <param name="awareness">Gets the AwarenessFrames and hears of links coming and going; null = none.</param>
    /// <param name="spaces">The node's spaces: what each peer may see, and who may write.</param>
    /// <param name="admits">Whether a device may hold a sync connection (trusted, or a member of a shared space); any other device may only redeem an invite.</param>
    /// <param name="isTrusted">Whether a device is one of this user's own (peer list): only those get presence, awareness and handoff.</param>
    public NodePeerSync(DocumentHub hub, NodeSpaces spaces, Func<DeviceId, bool> admits, Func<DeviceId, bool> isTrusted, string deviceName, ISentLog sentLog, ILogger logger, PeerLinkRegistry? links = null, NodeHandoff? handoff = null, NodeAwareness? awareness = null)
    {
        _spaces = spaces;
        _admits = admits;
        _isTrusted = isTrusted;
        _links = links ?? new PeerLinkRegistry();
        _handoff = handoff;
        _awareness = awareness;
        _hub = hub;
        _sentLog = sentLog;
        _source = new HubSyncSource(hub, spaces);
        _coordinator = new SyncCoordinator<PeerLink>(_source, new HubSpaceSource(spaces), deviceName);
        _logger = logger;
        _hub.Updated += OnUpdated;
        _hub.Created += OnCreated;
        _spaces.Changed += OnSpaceChanged;
        _pump = Task.Run(PumpAsync);
    }

    private long _pingNonce;

    /// <summary>How often every link is probed with a Ping (the round trip shown per peer).</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    /// <summary>The latest round trip measured on a connection to <paramref name="device"/>, or null.</summary>
    public TimeSpan? RoundTripOf(DeviceId device) =>
        _served.Where(pair => pair.Value.Equals(device)).Select(pair => pair.Key.RoundTrip).LastOrDefault(rtt => rtt is not null);

    /// <summary>Pings every served link now (the host calls this every <see cref="PingInterval"/>).</summary>
    public void PingAll()
    {
        foreach (var link in _served.Keys)
        {
            SendPing(link);
        }
    }

    private void SendPing(PeerLink link)
    {
        // A counter is enough: the nonce only pairs a Pong with its Ping on one link.
        var nonce = (ulong)Interlocked.Increment(ref _pingNonce);
        link.PingSent(nonce);
        link.Enqueue(EnvelopeCodec.Encode(new Envelope { Ping = new Ping { Nonce = nonce } }), null, 0);
    }

    /// <summary>How the latest connection to <paramref name="device"/> caught up, or null if none has yet.</summary>
    public PeerCatchUp? CatchUpOf(DeviceId device) => _catchUps.GetValueOrDefault(device);

    /// <summary>
    /// Per peer (DeviceId text) how it stands on <paramref name="docId"/>: "in sync", "behind by N
    /// updates" (N = stored updates not yet sent to it), or "syncing" while the first exchange runs.
    /// Offline peers are judged by what was sent to them before they left.
    /// </summary>
    public IReadOnlyDictionary<string, string> SyncStateOf(string docId, IEnumerable<string> trustedDevices)
    {
        var head = _hub.HeadSeq(docId);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var device in trustedDevices)
        {
            states[device] = Describe(head - _sentLog.SentUpto(device, docId), online: false);
        }

        _gate.Wait();
        try
        {
            foreach (var link in _coordinator.Connections)
            {
                if (_coordinator.Session(link) is { } session)
                {
                    var sent = link.Sent().GetValueOrDefault(docId, _sentLog.SentUpto(session.RemoteDevice.ToString(), docId));
                    states[session.RemoteDevice.ToString()] = session.IsSynced(docId) ? Describe(head - sent, online: true) : "syncing";
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return states;
    }

    private static string Describe(long behind, bool online) =>
        behind <= 0 ? "in sync" : $"behind by {behind} update{(behind == 1 ? "" : "s")}{(online ? "" : " (offline)")}";

    /// <summary>Serves one authenticated connection until it closes, breaks the protocol, or is cancelled.</summary>
    public async Task ServeAsync(IConnection connection, CancellationToken cancellationToken)
    {
        if (!_admits(connection.RemoteDevice))
        {
            // Admitted a moment ago, not any more (a membership changed in between): nothing to serve.
            _logger.LogInformation("closing connection to {Device}: it no longer shares a space with this device", connection.RemoteDevice.ToShortString());
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var link = new PeerLink(connection);
        _served[link] = connection.RemoteDevice;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteAsync(link, stop);
        var registered = false;
        try
        {
            await RunAsync(() => _coordinator.Connect(link, connection.RemoteDevice), cancellationToken).ConfigureAwait(false);
            // After the sync Hello is queued, so the peer hears who we are before what we are doing.
            // Presence, cursors and handoff stay among this user's own devices: a collaborator in a
            // shared space gets the space's documents and nothing about what this device is doing.
            var own = _isTrusted(connection.RemoteDevice);
            var handoff = own ? _handoff : null;
            var awareness = own ? _awareness : null;
            if (own)
            {
                _links.Add(connection.RemoteDevice, link);
                registered = true;
            }

            handoff?.OnConnected(connection.RemoteDevice);
            awareness?.OnConnected(connection.RemoteDevice);
            SendPing(link);

            // Group commit: envelopes that have already arrived (the next receive completes at once)
            // are handled as one batch, one store commit; a batch runs as soon as nothing more is
            // ready, so a lone update never waits for company.
            var ready = new List<Envelope>();
            while (true)
            {
                var receiving = connection.ReceiveAsync(stop.Token);
                if (!receiving.IsCompleted && ready.Count > 0)
                {
                    await ReceiveBatchAsync(link, ready, stop.Token).ConfigureAwait(false);
                }

                var bytes = await receiving.ConfigureAwait(false);
                if (bytes is null)
                {
                    await ReceiveBatchAsync(link, ready, stop.Token).ConfigureAwait(false);
                    var reason = (connection as Transport.Tcp.TcpConnection)?.CloseReason;
                    if (reason is not null)
                    {
                        _logger.LogWarning("{Device} closed: {Reason}", connection.RemoteDevice.ToShortString(), reason);
                    }

                    return;
                }

                Envelope envelope;
                try
                {
                    envelope = EnvelopeCodec.Decode(bytes);
                }
                catch (WireFormatException)
                {
                    // What arrived before the garbage is handled (and stored) exactly as without batching.
                    await ReceiveBatchAsync(link, ready, stop.Token).ConfigureAwait(false);
                    throw;
                }

                if (envelope.BodyCase == Envelope.BodyOneofCase.Pong)
                {
                    // Our round-trip probe (the sync session has nothing to do with a Pong).
                    link.PongReceived(envelope.Pong.Nonce);
                    continue;
                }

                if (NodeHandoff.Handles(envelope) || envelope.BodyCase == Envelope.BodyOneofCase.Awareness)
                {
                    if (handoff is null && awareness is null)
                    {
                        // Not one of our own devices (or these parts are off): not its business.
                        continue;
                    }
                }

                if (handoff is not null && NodeHandoff.Handles(envelope))
                {
                    // Handled in arrival order after what came before it, outside the sync gate: a
                    // large transfer's chunks never hold up sync on other connections.
                    await ReceiveBatchAsync(link, ready, stop.Token).ConfigureAwait(false);
                    handoff.Receive(connection.RemoteDevice, envelope);
                    continue;
                }

                if (awareness is not null && envelope.BodyCase == Envelope.BodyOneofCase.Awareness)
                {
                    // Cursors are ephemeral and independent of the documents: no need to wait for the batch.
                    awareness.Receive(connection.RemoteDevice, envelope.Awareness);
                    continue;
                }

                ready.Add(envelope);
                if (ready.Count >= MaxBatchEnvelopes)
                {
                    await ReceiveBatchAsync(link, ready, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is WireFormatException or SyncProtocolException or UpdateFormatException
            or UnknownDocumentException or Storage.InvalidStoreInputException or Handoff.HandoffProtocolException or Handoff.AwarenessFormatException)
        {
            // Hostile or broken peer: this connection ends, the rest of the node carries on.
            _logger.LogWarning("closing connection to {Device}: {Problem}", connection.RemoteDevice.ToShortString(), ex.Message);
        }
        finally
        {
            _served.TryRemove(link, out _);
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                _coordinator.Disconnect(link);
            }
            finally
            {
                _gate.Release();
            }

            if (registered)
            {
                // The awareness hub counts links itself; the handoff engine only hears when the device is gone.
                _awareness?.OnDisconnected(connection.RemoteDevice);
                if (_links.Remove(connection.RemoteDevice, link))
                {
                    _handoff?.OnDisconnected(connection.RemoteDevice);
                }
            }

            link.Complete();
            await writer.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            _sentLog.Record(connection.RemoteDevice, link.Sent());
        }
    }


    public async ValueTask DisposeAsync()
    {
        _spaces.Changed -= OnSpaceChanged;
        _hub.Updated -= OnUpdated;
        _hub.Created -= OnCreated;
        _localChanges.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task WriteAsync(PeerLink link, CancellationTokenSource stop)
    {
        try
        {
            await link.WriteLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // A broken send ends the connection: cancelling unblocks the receive loop.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Feeds the envelopes to the coordinator in order as one store group commit; what the
    /// coordinator answers or relays is sent only after that commit. A bad envelope still lets
    /// the ones before it take full effect, then its error ends the connection. Clears the list.
    /// </summary>
    private async Task ReceiveBatchAsync(PeerLink link, List<Envelope> envelopes, CancellationToken cancellationToken)
    {
        if (envelopes.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outgoing = new List<OutgoingEnvelope<PeerLink>>();
            var handled = new List<Envelope>();
            Exception? failure = null;
            _hub.Batch(() =>
            {
                foreach (var envelope in envelopes)
                {
                    try
                    {
                        outgoing.AddRange(_coordinator.Receive(link, envelope, out var refusals));
                        foreach (var refusal in refusals)
                        {
                            // Refused records and states are logged, never stored; the peer may just
                            // not have heard of a membership change yet, so the connection stays.
                            _logger.LogWarning("refused from {Device}: {Refusal}", link.Connection.RemoteDevice.ToShortString(), refusal);
                        }
                    }
                    catch (Exception ex)
                    {
                        failure = ex;
                        break;
                    }

                    handled.Add(envelope);
                }

                return handled.Count;
            });

            Send(outgoing);
            foreach (var docId in handled.Where(e => e.BodyCase == Envelope.BodyOneofCase.Records).Select(e => e.Records.DocId).Distinct(StringComparer.Ordinal))
            {
                if (_hub.Get(docId) is not null && _coordinator.Session(link)?.IsSynced(docId) == true)
                {
                    // What it sent us is in our log now; it need not get it back to be in sync.
                    link.MarkKnown(docId, _hub.HeadSeq(docId));
                }
            }

            if (!link.CatchUpSeen && _coordinator.Session(link) is { IsCaughtUp: true })
            {
                link.CatchUpSeen = true;
                _ = RecordCatchUpAsync(link, System.Diagnostics.Stopwatch.GetElapsedTime(link.StartedAt), _hub.List().Count);
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            envelopes.Clear();
            _gate.Release();
        }
    }

    /// <summary>Waits until what the catch-up brought is durable, then records and logs how long it took.</summary>
    /// <param name="applied">When everything had been applied (readable by local apps), since the connection was up.</param>
    private async Task RecordCatchUpAsync(PeerLink link, TimeSpan applied, int documents)
    {
        try
        {
            await _hub.WhenDurableAsync().ConfigureAwait(false);
        }
        catch (Storage.StoreException ex)
        {
            _logger.LogWarning("caught up with {Device}, but storing it failed: {Reason}", link.Connection.RemoteDevice.ToShortString(), ex.Message);
            return;
        }

        var durable = System.Diagnostics.Stopwatch.GetElapsedTime(link.StartedAt);
        var connect = (link.Connection as Transport.Tcp.TcpConnection)?.Established ?? TimeSpan.Zero;
        _catchUps[link.Connection.RemoteDevice] = new PeerCatchUp(connect, applied, durable, documents);
        _logger.LogInformation(
            "caught up with {Device}: {Documents} document(s) applied {Applied:0.0} ms and stored {Durable:0.0} ms after connecting (connect + handshake {Connect:0.0} ms)",
            link.Connection.RemoteDevice.ToShortString(), documents, applied.TotalMilliseconds, durable.TotalMilliseconds, connect.TotalMilliseconds);
    }

    private async Task RunAsync(Func<IReadOnlyList<OutgoingEnvelope<PeerLink>>> step, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Send(step());
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Send(IReadOnlyList<OutgoingEnvelope<PeerLink>> outgoing)
    {
        foreach (var item in outgoing)
        {
            var docId = item.Envelope.BodyCase == Envelope.BodyOneofCase.Records ? item.Envelope.Records.DocId : null;
            var seq = docId is null ? 0 : _hub.HeadSeq(docId);
            item.Connection.Enqueue(EnvelopeCodec.Encode(item.Envelope), docId, seq);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var change in _localChanges.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await RunAsync(change, CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                // E.g. a session that has not said Hello yet; it gets the change with its initial sync.
                _logger.LogDebug("local change not relayed: {Reason}", ex.Message);
            }
        }
    }

    private void OnUpdated(DocumentUpdate update)
    {
        if (update.Source is PeerOrigin)
        {
            return;
        }

        if (update.Records.Count == 0)
        {
            return;
        }

        if (update.Source is HandoffOrigin handoff)
        {
            _localChanges.Writer.TryWrite(() => RelayExcept(handoff.Device, update.DocId, update.Records));
            return;
        }

        _localChanges.Writer.TryWrite(() => _coordinator.LocalRecords(update.DocId, update.Records));
    }

    /// <summary>
    /// A space changed. Connections of devices that may no longer connect end now; a change made
    /// here (not one a peer's state brought, which the coordinator relays itself) goes to every
    /// session, which sends it to its peer if that peer is a member.
    /// </summary>
    private void OnSpaceChanged(SpaceId space, bool local)
    {
        foreach (var (link, device) in _served)
        {
            // A device just removed from the space is told (the log, no keys), so it stops writing
            // there, and it drops the connection itself if that was the last space it shared with
            // us (it may still hold a stale copy in which we share another space with it).
            // Once per removal: later changes of the space are none of its business.
            if (_spaces.WasRemovedFrom(space, device))
            {
                if (_removalsTold.TryAdd((space, device), 0))
                {
                    link.Enqueue(EnvelopeCodec.Encode(new Envelope { Space = _spaces.DescribeFor(space, device) }), null, 0);
                }
            }
            else
            {
                _removalsTold.TryRemove((space, device), out _);
            }

            if (!_admits(device))
            {
                _logger.LogInformation("closing connection to {Device}: it no longer shares a space with this device", device.ToShortString());
                _ = Task.Delay(RemovalNoticeGrace).ContinueWith(_ => link.Connection.DisposeAsync().AsTask(), TaskScheduler.Default);
            }
        }

        if (local)
        {
            _localChanges.Writer.TryWrite(() => _coordinator.LocalSpaceChanged(space));
        }
    }

    /// <summary>
    /// What a handoff brought, to every connected peer but the one it came from (it has it; a
    /// large document must not travel back and queue ahead of the handoff's result).
    /// </summary>
    private List<OutgoingEnvelope<PeerLink>> RelayExcept(DeviceId except, string docId, IReadOnlyList<byte[]> records)
    {
        var output = new List<OutgoingEnvelope<PeerLink>>();
        foreach (var link in _coordinator.Connections)
        {
            if (_coordinator.Session(link) is not { } session || session.RemoteDevice.Equals(except))
            {
                continue;
            }

            try
            {
                output.AddRange(session.OnLocalRecords(docId, records).Select(e => new OutgoingEnvelope<PeerLink>(link, e)));
            }
            catch (InvalidOperationException ex)
            {
                // A session that has not said Hello yet gets the change with its initial sync.
                _logger.LogDebug("handoff change not relayed to {Device}: {Reason}", session.RemoteDevice.ToShortString(), ex.Message);
            }
        }

        return output;
    }

    private void OnCreated(DocumentRecord record, object source)
    {
        if (source is PeerOrigin || ReferenceEquals(source, _source))
        {
            return;
        }

        _localChanges.Writer.TryWrite(() => _coordinator.LocalDocumentChanged(HubSyncSource.ToSync(record)));
    }
}
