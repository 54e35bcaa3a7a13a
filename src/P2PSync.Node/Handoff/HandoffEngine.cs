using Google.Protobuf;
using P2PSync.Crdt;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Handoff;

/// <summary>
/// Presence and handoff for the whole node (all peers) as a pure state machine: it reads no
/// socket, only the injected clock, makes ids with the injected generator, and returns what to
/// send and which events happened. The host runs it over the peer links; simulation tests run
/// it over an in-memory queue. Not thread-safe: the host calls one method at a time.
/// </summary>
/// <remarks>
/// Protocol (docs/protocol/handoff.md). Pull: the continuing device sends HandoffRequest with
/// its state vectors for the documents of the peer's Presence. Push: the owner sends
/// HandoffOffer; an accept is the same HandoffRequest. The owner answers with HandoffBegin (the
/// full activity JSON and, per document, its record and how many update bytes follow), then the
/// updates as HandoffChunks, document after document, in order. The receiver applies each
/// document when its last chunk arrived (atomic per document), resolves the positions, resumes
/// the activity and answers HandoffResult{ready}; the owner marks its activity handed off.
/// Error policy: <see cref="OnEnvelope"/> throws <see cref="HandoffProtocolException"/> for a
/// message a well-behaved peer cannot send, after failing the handoff it concerns (that event
/// comes with the next output); the host then closes the connection.
/// </remarks>
internal sealed class HandoffEngine
{
    /// <summary>Longest reason text sent in a HandoffDecline / HandoffResult (matches the wire validator).</summary>
    public const int MaxReasonLength = EnvelopeValidator.MaxReasonLength;

    // Unfinished handoffs one peer may have open with us: bounds what a peer can make us hold.
    private const int MaxOpenPerPeer = 16;

    private readonly DeviceId _local;
    private readonly IHandoffDocuments _docs;
    private readonly ActivityStore _activity;
    private readonly TimeProvider _time;
    private readonly Func<string> _newId;
    private readonly HandoffOptions _options;

    private readonly HashSet<DeviceId> _connected = [];
    private readonly Dictionary<DeviceId, Presence> _peerActivities = [];
    private readonly Dictionary<string, HandoffTransfer> _handoffs = new(StringComparer.Ordinal);

    // Creation order, for listing and for forgetting the oldest finished handoffs first.
    private readonly List<HandoffTransfer> _order = [];

    // Events of a handoff failed while throwing HandoffProtocolException: they lead the next output.
    private readonly List<HandoffEvent> _pending = [];

    // The activity version last sent to every connected peer, so a change is announced once.
    private long _announcedVersion = -1;

    public HandoffEngine(DeviceId local, IHandoffDocuments docs, ActivityStore activity, TimeProvider time, Func<string> newId, HandoffOptions options)
    {
        if (local.IsEmpty)
        {
            throw new ArgumentException("the local device id is empty", nameof(local));
        }

        _local = local;
        _docs = docs ?? throw new ArgumentNullException(nameof(docs));
        _activity = activity ?? throw new ArgumentNullException(nameof(activity));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _newId = newId ?? throw new ArgumentNullException(nameof(newId));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
    }

    /// <summary>Every handoff still open and the most recent finished ones, oldest first.</summary>
    public IReadOnlyList<HandoffInfo> Handoffs => _order.Select(h => h.ToInfo()).ToArray();

    /// <summary>The last Presence of every connected peer that sent one.</summary>
    public IReadOnlyDictionary<DeviceId, Presence> PeerActivities => new Dictionary<DeviceId, Presence>(_peerActivities);

    /// <summary>When <see cref="Poll"/> has something to do (the earliest deadline), or null.</summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            long? earliest = null;
            foreach (var handoff in _order)
            {
                if (!handoff.IsFinished && handoff.DeadlineMs is { } deadline && (earliest is null || deadline < earliest))
                {
                    earliest = deadline;
                }
            }

            return earliest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
    }

    // ------------------------------------------------------------------ commands

    /// <summary>Push: offers our current activity to <paramref name="to"/>.</summary>
    /// <exception cref="HandoffException">The device is not connected, or no document is open.</exception>
    public HandoffOutput Offer(DeviceId to)
    {
        RequireConnected(to);
        var activity = _activity.Current;
        if (activity.Documents.Count == 0)
        {
            throw new HandoffException("there is no activity to offer: no document is open (set one with PUT /api/activity or `p2psync activity set`)");
        }

        var output = Begin();
        var now = NowMs;
        var handoff = Add(new HandoffTransfer(NewId(), HandoffDirection.Out, HandoffKind.Offer, to, HandoffState.Offered, now)
        {
            DeadlineMs = now + TimeoutMs,
        });
        output.Send(to, new Envelope
        {
            HandoffOffer = new HandoffOffer { HandoffId = handoff.Id, Activity = PresenceOf(activity), ExpiresMs = handoff.DeadlineMs!.Value },
        });
        return output.Build();
    }

    /// <summary>Accepts an offer a peer made us: asks for its activity and what we lack of its documents.</summary>
    /// <exception cref="HandoffException">Unknown id, not an offer waiting for an answer, or the peer is gone.</exception>
    public HandoffOutput Accept(string handoffId)
    {
        var handoff = Get(handoffId);
        if (handoff.Direction != HandoffDirection.In || handoff.State != HandoffState.Offered)
        {
            throw new HandoffException($"handoff {handoffId} is not an offer waiting for an answer (it is {Describe(handoff)})");
        }

        RequireConnected(handoff.Peer);
        var output = Begin();
        Request(handoff, handoff.OfferedDocuments, output);
        return output.Build();
    }

    /// <summary>Refuses an offer, withdraws ours, or abandons a request that has not started transferring.</summary>
    /// <exception cref="HandoffException">Unknown id, or the handoff is already transferring or finished.</exception>
    public HandoffOutput Decline(string handoffId, string reason)
    {
        var handoff = Get(handoffId);
        if (handoff.State is not (HandoffState.Offered or HandoffState.Requested))
        {
            throw new HandoffException($"handoff {handoffId} can no longer be declined (it is {Describe(handoff)})");
        }

        var text = Clip(string.IsNullOrWhiteSpace(reason) ? "declined" : reason.Trim());
        var output = Begin();
        SendDecline(handoff, text, output);
        Finish(handoff, HandoffState.Declined, HandoffEvent.Declined, text, output);
        return output.Build();
    }

    /// <summary>Pull: asks <paramref name="from"/> for the activity its last Presence announced.</summary>
    /// <exception cref="HandoffException">The device is not connected, has not sent its activity, or has nothing open.</exception>
    public HandoffOutput Pull(DeviceId from)
    {
        RequireConnected(from);
        if (!_peerActivities.TryGetValue(from, out var presence))
        {
            throw new HandoffException($"{from} has not told us its activity yet");
        }

        if (presence.Documents.Count == 0)
        {
            throw new HandoffException($"{from} has no open document to continue");
        }

        var output = Begin();
        var handoff = Add(new HandoffTransfer(NewId(), HandoffDirection.In, HandoffKind.Pull, from, HandoffState.Requested, NowMs));
        Request(handoff, presence.Documents.Select(d => d.DocId).ToArray(), output);
        return output.Build();
    }

    // ------------------------------------------------------------------ events

    /// <summary>A trusted peer's connection is up: it hears our activity summary.</summary>
    public HandoffOutput OnConnected(DeviceId peer)
    {
        if (peer.IsEmpty)
        {
            throw new ArgumentException("the peer id is empty", nameof(peer));
        }

        _connected.Add(peer);
        var output = Begin();
        output.Send(peer, new Envelope { Presence = PresenceOf(_activity.Current) });
        return output.Build();
    }

    /// <summary>The peer's connection is gone: its handoffs fail, its Presence is forgotten.</summary>
    public HandoffOutput OnDisconnected(DeviceId peer)
    {
        _connected.Remove(peer);
        _peerActivities.Remove(peer);
        var output = Begin();
        foreach (var handoff in _order.Where(h => h.Peer == peer && !h.IsFinished).ToArray())
        {
            var reason = handoff is { Direction: HandoffDirection.In, State: HandoffState.Transferring }
                ? $"connection to {peer} lost after {handoff.DocumentsDone} of {handoff.Incoming.Count} documents"
                : $"connection to {peer} lost";
            Fail(handoff, reason, output);
        }

        return output.Build();
    }

    /// <summary>Our activity may have changed: every connected peer hears the new summary (once per version).</summary>
    public HandoffOutput OnActivityChanged()
    {
        var output = Begin();
        Announce(output);
        return output.Build();
    }

    /// <summary>Offers expire, silent requests and stalled transfers fail.</summary>
    public HandoffOutput Poll()
    {
        var output = Begin();
        var now = NowMs;
        foreach (var handoff in _order.Where(h => !h.IsFinished && h.DeadlineMs <= now).ToArray())
        {
            var seconds = (long)_options.OfferTimeout.TotalSeconds;
            switch (handoff.State)
            {
                case HandoffState.Offered:
                    var reason = $"the offer was not answered within {seconds} s";
                    SendDecline(handoff, "expired: " + reason, output);
                    Finish(handoff, HandoffState.Expired, HandoffEvent.Expired, reason, output);
                    break;
                case HandoffState.Requested:
                    SendDecline(handoff, "no answer in time", output);
                    Fail(handoff, $"{handoff.Peer} did not answer the request within {seconds} s", output);
                    break;
                default:
                    SendDecline(handoff, "transfer stalled", output);
                    Fail(handoff, $"the transfer from {handoff.Peer} stalled: nothing arrived for {seconds} s after {handoff.DocumentsDone} of {handoff.Incoming.Count} documents", output);
                    break;
            }
        }

        Forget();
        return output.Build();
    }

    /// <summary>A Presence or Handoff* envelope from a connected peer.</summary>
    /// <exception cref="HandoffProtocolException">The peer broke the protocol; close its connection.</exception>
    /// <exception cref="ArgumentException">Not a presence or handoff envelope (a routing mistake of the host).</exception>
    public HandoffOutput OnEnvelope(DeviceId from, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!_connected.Contains(from))
        {
            throw new InvalidOperationException($"{from} is not connected; call OnConnected first");
        }

        try
        {
            EnvelopeValidator.Validate(envelope);
        }
        catch (WireFormatException ex)
        {
            throw new HandoffProtocolException($"{from} sent a malformed {envelope.BodyCase}: {ex.Message}", ex);
        }

        var output = Begin();
        switch (envelope.BodyCase)
        {
            case Envelope.BodyOneofCase.Presence:
                OnPresence(from, envelope.Presence);
                break;
            case Envelope.BodyOneofCase.HandoffOffer:
                OnOffer(from, envelope.HandoffOffer, output);
                break;
            case Envelope.BodyOneofCase.HandoffRequest:
                OnRequest(from, envelope.HandoffRequest, output);
                break;
            case Envelope.BodyOneofCase.HandoffDecline:
                OnDecline(from, envelope.HandoffDecline, output);
                break;
            case Envelope.BodyOneofCase.HandoffBegin:
                OnBegin(from, envelope.HandoffBegin, output);
                break;
            case Envelope.BodyOneofCase.HandoffChunk:
                OnChunk(from, envelope.HandoffChunk, output);
                break;
            case Envelope.BodyOneofCase.HandoffResult:
                OnResult(from, envelope.HandoffResult, output);
                break;
            default:
                throw new ArgumentException($"{envelope.BodyCase} is not a presence or handoff message", nameof(envelope));
        }

        Forget();
        return output.Build();
    }

    // ------------------------------------------------------------------ message handlers

    private void OnPresence(DeviceId from, Presence presence)
    {
        // Equal versions replace too: a re-sent summary after a reconnect is the same activity.
        if (!_peerActivities.TryGetValue(from, out var known) || presence.Version >= known.Version)
        {
            _peerActivities[from] = presence;
        }
    }

    private void OnOffer(DeviceId from, HandoffOffer offer, HandoffOutputBuilder output)
    {
        if (_handoffs.ContainsKey(offer.HandoffId))
        {
            throw new HandoffProtocolException($"{from} offered handoff {offer.HandoffId}, an id already in use");
        }

        if (offer.Activity is null || offer.Activity.Documents.Count == 0)
        {
            throw new HandoffProtocolException($"{from} offered handoff {offer.HandoffId} with no open document");
        }

        if (OpenWith(from) >= MaxOpenPerPeer)
        {
            output.Send(from, DeclineEnvelope(offer.HandoffId, $"busy: {MaxOpenPerPeer} handoffs with you are already open"));
            return;
        }

        OnPresence(from, offer.Activity);
        var now = NowMs;
        // Our own clock decides expiry: the sender's expires_ms is on its clock, which may differ.
        var handoff = Add(new HandoffTransfer(offer.HandoffId, HandoffDirection.In, HandoffKind.Offer, from, HandoffState.Offered, now)
        {
            DeadlineMs = now + TimeoutMs,
            OfferedDocuments = offer.Activity.Documents.Select(d => d.DocId).ToArray(),
        });
        output.Event(EventOf(HandoffEvent.Offered, handoff));
    }

    private void OnRequest(DeviceId from, HandoffRequest request, HandoffOutputBuilder output)
    {
        if (_handoffs.TryGetValue(request.HandoffId, out var handoff))
        {
            if (handoff.Peer != from || handoff.Direction != HandoffDirection.Out)
            {
                throw new HandoffProtocolException($"{from} requested handoff {request.HandoffId}, which is not an offer of ours to it");
            }

            if (handoff.State is HandoffState.Expired or HandoffState.Declined)
            {
                // A race with our expiry or withdrawal, not a misbehaving peer: tell it why.
                output.Send(from, DeclineEnvelope(handoff.Id, handoff.Reason ?? "the offer is no longer open"));
                return;
            }

            if (handoff.State != HandoffState.Offered)
            {
                throw new HandoffProtocolException($"{from} requested handoff {request.HandoffId} again (it is {Describe(handoff)})");
            }
        }
        else
        {
            if (OpenWith(from) >= MaxOpenPerPeer)
            {
                output.Send(from, DeclineEnvelope(request.HandoffId, $"busy: {MaxOpenPerPeer} handoffs with you are already open"));
                return;
            }

            handoff = Add(new HandoffTransfer(request.HandoffId, HandoffDirection.Out, HandoffKind.Pull, from, HandoffState.Requested, NowMs));
        }

        Touch(handoff, HandoffState.Requested);
        output.Event(EventOf(HandoffEvent.Requested, handoff));
        SendActivity(handoff, request, output);
    }

    private void SendActivity(HandoffTransfer handoff, HandoffRequest request, HandoffOutputBuilder output)
    {
        var activity = _activity.Current;
        if (activity.Documents.Count == 0)
        {
            const string nothing = "nothing to hand off: no document is open";
            SendDecline(handoff, nothing, output);
            Finish(handoff, HandoffState.Declined, HandoffEvent.Declined, nothing, output);
            return;
        }

        var vectors = new Dictionary<string, ByteString>(StringComparer.Ordinal);
        foreach (var vector in request.StateVectors)
        {
            if (!vectors.TryAdd(vector.DocId, vector.StateVector))
            {
                FailForProtocol(handoff, $"{handoff.Peer} sent two state vectors for {vector.DocId} in handoff {handoff.Id}");
            }
        }

        handoff.SentVersion = activity.Version;
        var begin = new HandoffBegin { HandoffId = handoff.Id, ActivityJson = ByteString.CopyFrom(ActivityJson.Serialize(activity)) };
        var diffs = new List<(string DocId, byte[] Diff)>();
        long total = 0;
        foreach (var document in activity.Documents)
        {
            // A document closed and deleted here since it was opened has nothing to send; the
            // receiver keeps its entry and resolves what it can.
            var record = _docs.Record(document.DocId);
            if (record is null)
            {
                continue;
            }

            byte[] diff;
            try
            {
                diff = _docs.EncodeDiff(document.DocId, vectors.TryGetValue(document.DocId, out var sv) ? sv.Memory : ReadOnlyMemory<byte>.Empty);
            }
            catch (UpdateFormatException ex)
            {
                FailForProtocol(handoff, $"{handoff.Peer} sent a malformed state vector for {document.DocId}: {ex.Message}");
                throw; // unreachable: FailForProtocol throws
            }

            total += diff.Length;
            diffs.Add((document.DocId, diff));
            begin.Documents.Add(new HandoffDocument { Record = record, UpdateBytes = (ulong)diff.Length });
        }

        if (total > _options.MaxTransferBytes)
        {
            var reason = $"the documents are {total} bytes; at most {_options.MaxTransferBytes} travel in one handoff";
            SendDecline(handoff, reason, output);
            Fail(handoff, reason, output);
            return;
        }

        output.Send(handoff.Peer, new Envelope { HandoffBegin = begin });
        foreach (var (docId, diff) in diffs)
        {
            // Every document gets at least one chunk, the last one flagged: the receiver never
            // has to infer completion from a byte count alone.
            var offset = 0;
            do
            {
                var length = Math.Min(_options.ChunkBytes, diff.Length - offset);
                output.Send(handoff.Peer, new Envelope
                {
                    HandoffChunk = new HandoffChunk
                    {
                        HandoffId = handoff.Id,
                        DocId = docId,
                        Offset = (ulong)offset,
                        // No copy: the diff is ours alone and never changes after this.
                        Data = UnsafeByteOperations.UnsafeWrap(diff.AsMemory(offset, length)),
                        Last = offset + length == diff.Length,
                    },
                });
                offset += length;
            }
            while (offset < diff.Length);
        }

        // Everything is handed to the connection now; what remains is the peer's HandoffResult.
        // No deadline: a large transfer over a slow link takes what it takes, and a peer that
        // vanishes is reported by OnDisconnected.
        handoff.BytesTotal = total;
        handoff.BytesDone = total;
        handoff.DeadlineMs = null;
        Touch(handoff, HandoffState.Transferring);
        output.Event(EventOf(HandoffEvent.Transferring, handoff));
    }

    private void OnDecline(DeviceId from, HandoffDecline decline, HandoffOutputBuilder output)
    {
        // Declines for ids we do not know (forgotten, or never sent) or already finished are
        // races with our own expiry or failure, harmless to ignore.
        if (!_handoffs.TryGetValue(decline.HandoffId, out var handoff) || handoff.Peer != from || handoff.IsFinished)
        {
            return;
        }

        var reason = string.IsNullOrWhiteSpace(decline.Reason) ? $"{from} declined" : decline.Reason;
        if (handoff.State == HandoffState.Transferring)
        {
            Fail(handoff, $"{from} gave up: {reason}", output);
        }
        else
        {
            Finish(handoff, HandoffState.Declined, HandoffEvent.Declined, reason, output);
        }
    }

    private void OnBegin(DeviceId from, HandoffBegin begin, HandoffOutputBuilder output)
    {
        var handoff = Incoming(from, begin.HandoffId, "HandoffBegin");
        if (handoff is null)
        {
            return;
        }

        if (handoff.State != HandoffState.Requested)
        {
            FailForProtocol(handoff, $"{from} sent a second HandoffBegin for handoff {handoff.Id}");
        }

        Activity activity;
        try
        {
            activity = ActivityJson.Parse(begin.ActivityJson.Span);
        }
        catch (ActivityFormatException ex)
        {
            FailForProtocol(handoff, $"{from} sent a malformed activity in handoff {handoff.Id}: {ex.Message}");
            throw; // unreachable: FailForProtocol throws
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var document in begin.Documents)
        {
            if (!ids.Add(document.Record.DocId))
            {
                FailForProtocol(handoff, $"{from} listed document {document.Record.DocId} twice in handoff {handoff.Id}");
            }

            total += (long)document.UpdateBytes;
        }

        if (total > _options.MaxTransferBytes)
        {
            var reason = $"the documents are {total} bytes; at most {_options.MaxTransferBytes} are accepted in one handoff";
            SendDecline(handoff, reason, output);
            Fail(handoff, reason, output);
            return;
        }

        handoff.Resumed = activity;
        handoff.Incoming = begin.Documents.ToArray();
        handoff.BytesTotal = total;
        handoff.BytesDone = 0;
        handoff.DeadlineMs = NowMs + TimeoutMs;
        Touch(handoff, HandoffState.Transferring);
        output.Event(EventOf(HandoffEvent.Transferring, handoff));
        if (handoff.Incoming.Count == 0)
        {
            Resume(handoff, output);
        }
    }

    private void OnChunk(DeviceId from, HandoffChunk chunk, HandoffOutputBuilder output)
    {
        var handoff = Incoming(from, chunk.HandoffId, "HandoffChunk");
        if (handoff is null)
        {
            return;
        }

        if (handoff.State != HandoffState.Transferring)
        {
            FailForProtocol(handoff, $"{from} sent a HandoffChunk for handoff {handoff.Id} before its HandoffBegin");
        }

        var document = handoff.Incoming[handoff.DocumentsDone];
        if (chunk.DocId != document.Record.DocId)
        {
            FailForProtocol(handoff, $"{from} sent a chunk of {chunk.DocId} while {document.Record.DocId} is incomplete (chunks out of order) in handoff {handoff.Id}");
        }

        // Sized for the announced update, up to 16 MiB: one allocation for all but huge documents,
        // while a peer's claim alone cannot make us reserve hundreds of MiB before data arrives.
        var buffer = handoff.Buffer ??= new MemoryStream((int)Math.Min((long)document.UpdateBytes, 16 * 1024 * 1024));
        if (chunk.Offset != (ulong)buffer.Length)
        {
            FailForProtocol(handoff, $"{from} sent {chunk.DocId} at offset {chunk.Offset}; {buffer.Length} was next (chunks out of order) in handoff {handoff.Id}");
        }

        var end = (ulong)buffer.Length + (ulong)chunk.Data.Length;
        if (end > document.UpdateBytes)
        {
            FailForProtocol(handoff, $"{from} sent {end} bytes of {chunk.DocId}; its HandoffBegin announced {document.UpdateBytes}");
        }

        if (chunk.Last != (end == document.UpdateBytes))
        {
            FailForProtocol(handoff, chunk.Last
                ? $"{from} ended {chunk.DocId} at {end} of {document.UpdateBytes} announced bytes"
                : $"{from} sent all {end} bytes of {chunk.DocId} without marking the last chunk");
        }

        buffer.Write(chunk.Data.Span);
        handoff.BytesDone += chunk.Data.Length;
        handoff.DeadlineMs = NowMs + TimeoutMs;
        Touch(handoff, HandoffState.Transferring);
        output.Event(EventOf(HandoffEvent.Progress, handoff));
        if (!chunk.Last)
        {
            return;
        }

        var update = buffer.Capacity == buffer.Length ? buffer.GetBuffer() : buffer.ToArray();
        handoff.Buffer = null;
        ApplyDocument(handoff, document.Record, update);
        handoff.DocumentsDone++;
        if (handoff.DocumentsDone == handoff.Incoming.Count)
        {
            Resume(handoff, output);
        }
    }

    private void ApplyDocument(HandoffTransfer handoff, DocAnnounce record, byte[] update)
    {
        try
        {
            if (_docs.Record(record.DocId) is null)
            {
                // Check the update before creating the document, so a broken one leaves no empty
                // document behind.
                Y.ParseUpdateMeta(update);
                _docs.Adopt(record, handoff.Peer);
            }

            _docs.Apply(record.DocId, update, handoff.Peer);
        }
        catch (UpdateFormatException ex)
        {
            FailForProtocol(handoff, $"{handoff.Peer} sent a malformed update for {record.DocId} in handoff {handoff.Id}: {ex.Message}");
        }
        catch (Storage.InvalidStoreInputException ex)
        {
            FailForProtocol(handoff, $"{handoff.Peer} sent a document record the store refuses for {record.DocId} in handoff {handoff.Id}: {ex.Message}");
        }
    }

    private void Resume(HandoffTransfer handoff, HandoffOutputBuilder output)
    {
        var activity = handoff.Resumed!;
        // Every document is applied: the positions now resolve against the sender's content.
        // Resolving here proves they can be; the activity keeps the relative positions, which
        // follow later edits, and the API turns them into indexes when it is asked.
        var unresolved = 0;
        foreach (var document in activity.Documents)
        {
            foreach (var position in new[] { document.Cursor, document.Anchor })
            {
                if (position is not null && (_docs.Record(document.DocId) is null || _docs.ResolveIndex(document.DocId, position) is null))
                {
                    unresolved++;
                }
            }
        }

        _activity.Replace(activity, handoff.Peer.ToString());
        handoff.DeadlineMs = null;
        handoff.Reason = unresolved == 0 ? null : $"{unresolved} cursor or selection positions could not be resolved";
        Touch(handoff, HandoffState.Ready);
        output.Event(EventOf(HandoffEvent.Ready, handoff));
        output.Send(handoff.Peer, new Envelope { HandoffResult = new HandoffResult { HandoffId = handoff.Id, Ready = true } });
        Announce(output);
    }

    private void OnResult(DeviceId from, HandoffResult result, HandoffOutputBuilder output)
    {
        if (!_handoffs.TryGetValue(result.HandoffId, out var handoff))
        {
            throw new HandoffProtocolException($"{from} sent a HandoffResult for unknown handoff {result.HandoffId}");
        }

        if (handoff.Peer != from || handoff.Direction != HandoffDirection.Out)
        {
            throw new HandoffProtocolException($"{from} sent a HandoffResult for handoff {result.HandoffId}, which is not ours to it");
        }

        if (handoff.IsFinished)
        {
            return;
        }

        if (handoff.State != HandoffState.Transferring)
        {
            FailForProtocol(handoff, $"{from} sent a HandoffResult for handoff {handoff.Id} before anything was transferred");
        }

        if (!result.Ready)
        {
            Fail(handoff, string.IsNullOrWhiteSpace(result.Reason) ? $"{from} could not resume the activity" : result.Reason, output);
            return;
        }

        // A newer activity set while the transfer ran is not the one the peer took over.
        _activity.MarkHandedOff(from.ToString(), handoff.SentVersion);
        handoff.Reason = null;
        Finish(handoff, HandoffState.HandedOff, HandoffEvent.HandedOff, null, output);
        Announce(output);
    }

    // ------------------------------------------------------------------ helpers

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long TimeoutMs => (long)_options.OfferTimeout.TotalMilliseconds;

    private HandoffOutputBuilder Begin()
    {
        var output = new HandoffOutputBuilder();
        output.Events(_pending);
        _pending.Clear();
        return output;
    }

    private void Request(HandoffTransfer handoff, IReadOnlyList<string> documents, HandoffOutputBuilder output)
    {
        var request = new HandoffRequest { HandoffId = handoff.Id };
        foreach (var docId in documents.Distinct(StringComparer.Ordinal))
        {
            if (_docs.StateVector(docId) is { } vector)
            {
                request.StateVectors.Add(new DocStateVector { DocId = docId, StateVector = ByteString.CopyFrom(vector) });
            }
        }

        handoff.DeadlineMs = NowMs + TimeoutMs;
        Touch(handoff, HandoffState.Requested);
        output.Send(handoff.Peer, new Envelope { HandoffRequest = request });
        output.Event(EventOf(HandoffEvent.Requested, handoff));
    }

    // The handoff a Begin or Chunk is for; null when it already ended on our side (late chunks
    // of a handoff we failed, declined or let expire are expected, not a protocol error).
    private HandoffTransfer? Incoming(DeviceId from, string handoffId, string message)
    {
        if (!_handoffs.TryGetValue(handoffId, out var handoff))
        {
            throw new HandoffProtocolException($"{from} sent a {message} for unknown handoff {handoffId}");
        }

        if (handoff.Peer != from || handoff.Direction != HandoffDirection.In)
        {
            throw new HandoffProtocolException($"{from} sent a {message} for handoff {handoffId}, which is not a request of ours to it");
        }

        if (handoff.State is HandoffState.Failed or HandoffState.Declined or HandoffState.Expired)
        {
            return null;
        }

        if (handoff.State is HandoffState.Offered or HandoffState.Ready)
        {
            throw new HandoffProtocolException($"{from} sent a {message} for handoff {handoffId}, which is {Describe(handoff)}");
        }

        return handoff;
    }

    private void Announce(HandoffOutputBuilder output)
    {
        var activity = _activity.Current;
        if (activity.Version == _announcedVersion)
        {
            return;
        }

        _announcedVersion = activity.Version;
        var presence = PresenceOf(activity);
        foreach (var peer in _connected)
        {
            output.Send(peer, new Envelope { Presence = presence.Clone() });
        }
    }

    private Presence PresenceOf(Activity activity)
    {
        var presence = new Presence
        {
            Version = (ulong)activity.Version,
            UpdatedMs = activity.UpdatedMs,
            HandedOffTo = activity.HandedOffTo ?? "",
        };
        foreach (var document in activity.Documents)
        {
            presence.Documents.Add(new ActivityDocumentSummary { DocId = document.DocId, Name = _docs.Record(document.DocId)?.Name ?? "" });
        }

        return presence;
    }

    private void SendDecline(HandoffTransfer handoff, string reason, HandoffOutputBuilder output)
    {
        if (_connected.Contains(handoff.Peer))
        {
            output.Send(handoff.Peer, DeclineEnvelope(handoff.Id, reason));
        }
    }

    private static Envelope DeclineEnvelope(string handoffId, string reason) =>
        new() { HandoffDecline = new HandoffDecline { HandoffId = handoffId, Reason = Clip(reason) } };

    private void Fail(HandoffTransfer handoff, string reason, HandoffOutputBuilder output) =>
        Finish(handoff, HandoffState.Failed, HandoffEvent.Failed, reason, output);

    private void Finish(HandoffTransfer handoff, HandoffState state, string kind, string? reason, HandoffOutputBuilder output)
    {
        handoff.Reason = reason is null ? null : Clip(reason);
        handoff.DeadlineMs = null;
        handoff.Buffer = null;
        Touch(handoff, state);
        output.Event(EventOf(kind, handoff));
    }

    // Marks the handoff failed (its event leads the next output, since this call's output is
    // lost to the exception) and throws for the host to close the connection.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void FailForProtocol(HandoffTransfer handoff, string message)
    {
        var pending = new HandoffOutputBuilder();
        Fail(handoff, "protocol error: " + message, pending);
        _pending.AddRange(pending.Build().Events);
        throw new HandoffProtocolException(message);
    }

    private void Touch(HandoffTransfer handoff, HandoffState state)
    {
        handoff.State = state;
        handoff.UpdatedMs = NowMs;
    }

    private static HandoffEvent EventOf(string kind, HandoffTransfer handoff) =>
        new(kind, handoff.Id, handoff.Peer, handoff.BytesDone, handoff.BytesTotal, handoff.Reason);

    private HandoffTransfer Get(string handoffId) =>
        _handoffs.TryGetValue(handoffId ?? "", out var handoff) ? handoff : throw new HandoffException($"there is no handoff {handoffId}");

    private void RequireConnected(DeviceId peer)
    {
        if (peer == _local)
        {
            throw new HandoffException("a device cannot hand off to itself");
        }

        if (!_connected.Contains(peer))
        {
            throw new HandoffException($"{peer} is not connected (only connected trusted devices take part in a handoff)");
        }
    }

    private int OpenWith(DeviceId peer) => _order.Count(h => h.Peer == peer && !h.IsFinished);

    private HandoffTransfer Add(HandoffTransfer handoff)
    {
        _handoffs.Add(handoff.Id, handoff);
        _order.Add(handoff);
        return handoff;
    }

    private string NewId()
    {
        // A generator that repeats itself (or collides with a peer's id) gets a few more tries.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var id = _newId();
            try
            {
                EnvelopeValidator.ValidateHandoffId(id ?? "");
            }
            catch (WireFormatException ex)
            {
                throw new InvalidOperationException($"the id generator made an invalid handoff id: {ex.Message}", ex);
            }

            if (!_handoffs.ContainsKey(id!))
            {
                return id!;
            }
        }

        throw new InvalidOperationException("the id generator keeps making ids already in use");
    }

    // Keeps the open handoffs and the newest finished ones, so a long-running node does not
    // grow without bound.
    private void Forget()
    {
        var finished = _order.Count(h => h.IsFinished);
        if (finished <= _options.FinishedHistory)
        {
            return;
        }

        var excess = finished - _options.FinishedHistory;
        foreach (var handoff in _order.Where(h => h.IsFinished).Take(excess).ToArray())
        {
            _order.Remove(handoff);
            _handoffs.Remove(handoff.Id);
        }
    }

    private static string Describe(HandoffTransfer handoff) =>
        $"{handoff.Direction.ToString().ToLowerInvariant()} {handoff.Kind.ToString().ToLowerInvariant()}, {handoff.State.ToString().ToLowerInvariant()}";

    private static string Clip(string text)
    {
        if (text.Length <= MaxReasonLength)
        {
            return text;
        }

        // Never cut a surrogate pair in half: the peer's validator would reject the text.
        var length = char.IsHighSurrogate(text[MaxReasonLength - 1]) ? MaxReasonLength - 1 : MaxReasonLength;
        return text[..length];
    }
}
