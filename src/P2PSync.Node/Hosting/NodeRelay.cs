using System.Collections.Concurrent;
using System.Net.WebSockets;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.Relay;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The relay as a fallback path (issue 7, node side): records this device signs go, sealed with
/// their space's key, to the relay's mailbox topic of the space whenever some other member of
/// the space is not connected directly; on every (re)connection the node fetches what it missed
/// in each of its spaces, checks it exactly like a record from sync, and acknowledges it once
/// durable. Directly connected members never receive through the relay.
/// </summary>
/// <remarks>
/// Only this device's own records are posted: every author posts its own, so the mailbox holds
/// each record once. A document's announcement travels as a sealed node message before its first
/// record, so a device that was offline learns of documents created meanwhile.
/// </remarks>
internal sealed class NodeRelay : IAsyncDisposable
{
    /// <summary>How long the relay keeps an envelope nobody acknowledged (0 = the relay's default).</summary>
    private const uint EnvelopeTtlSeconds = 0;

    private readonly Uri _mailbox;
    private readonly DeviceKey _key;
    private readonly DocumentHub _hub;
    private readonly NodeSpaces _spaces;
    private readonly Func<IReadOnlyCollection<DeviceId>> _connected;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    // DocumentUpdates (records to post) and SpaceIds (a membership or key change to post).
    private readonly System.Threading.Channels.Channel<object> _outbox =
        System.Threading.Channels.Channel.CreateUnbounded<object>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _announced = new(StringComparer.Ordinal);

    // Spaces whose topic this mailbox connection follows, with the topic; cleared when the connection ends.
    private readonly ConcurrentDictionary<SpaceId, byte[]> _following = new();
    private readonly SemaphoreSlim _inbox = new(1, 1);
    private readonly Task _loop;
    private readonly Storage.RelayOutboxRepository _posted;
    private readonly NodeRelayInvites _invites;
    private MailboxClient? _client;

    /// <param name="relay">The relay's base URL (http(s) or ws(s)); the mailbox is at /mailbox.</param>
    /// <param name="connected">The devices connected directly right now.</param>
    /// <param name="posted">How far this device's own records went to the mailbox, per document (kept across restarts).</param>
    public NodeRelay(Uri relay, DeviceKey key, DocumentHub hub, NodeSpaces spaces, Storage.RelayOutboxRepository posted, Func<IReadOnlyCollection<DeviceId>> connected, TimeProvider time, ILogger logger)
    {
        _posted = posted;
        _mailbox = MailboxUri(relay);
        _key = key;
        _hub = hub;
        _spaces = spaces;
        _connected = connected;
        _time = time;
        _logger = logger;
        _invites = new NodeRelayInvites(key, hub, spaces, time, logger);
        _hub.Updated += OnUpdated;
        _spaces.Changed += OnSpaceChanged;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The latest round trip of a mailbox request, or null (not connected, or nothing asked yet).</summary>
    public TimeSpan? RoundTrip => _client?.RoundTrip;

    /// <summary>Whether the mailbox connection is up now.</summary>
    public bool Connected => _client is not null;

    /// <summary>The relay's mailbox URL.</summary>
    public Uri Mailbox => _mailbox;

    public async ValueTask DisposeAsync()
    {
        _hub.Updated -= OnUpdated;
        _spaces.Changed -= OnSpaceChanged;
        _outbox.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _inbox.Dispose();
    }

    /// <summary>ws(s)://host:port/mailbox for an http(s) or ws(s) base URL.</summary>
    public static Uri MailboxUri(Uri relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var scheme = relay.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"a relay URL is http(s):// or ws(s)://, not {relay.Scheme}://", nameof(relay)),
        };
        return new UriBuilder(relay) { Scheme = scheme, Path = relay.AbsolutePath.TrimEnd('/') + "/mailbox" }.Uri;
    }

    private void OnUpdated(DocumentUpdate update)
    {
        // Only what this device wrote (see the class remarks); peers' records reach the relay from their authors.
        // While a relay invite's package is out, every record of its space also follows it to the invite topic.
        if (update.Records.Count > 0 && (IsOwn(update) || _invites.HasPosted))
        {
            _outbox.Writer.TryWrite(update);
        }
    }

    /// <summary>
    /// A membership or key change made here goes to the mailbox for members that are not connected,
    /// so a device that is only ever reachable through the relay learns of new members (and takes
    /// their records) and gets the new key after a rotation. Changes that came from a peer are
    /// posted by whoever made them.
    /// </summary>
    private void OnSpaceChanged(SpaceId space, bool local)
    {
        if (local)
        {
            _outbox.Writer.TryWrite(space);
        }

        // A space joined or adopted after the mailbox connected: become one of its topic's readers
        // now (the relay keeps an envelope until every reader acknowledged it) and take what is there.
        _outbox.Writer.TryWrite(new FollowSpace(space));
    }

    /// <summary>Outbox item: subscribe to a space's topic and fetch it (the space is new here).</summary>
    private sealed record FollowSpace(SpaceId Space);

    /// <summary>Outbox item: a member joined that this device does not meet directly; post all own records of the space again.</summary>
    private sealed record RepostSpace(SpaceId Space);

    private static bool IsOwn(DocumentUpdate update) => update.Source is not PeerOrigin and not HandoffOrigin and not RelayOrigin;

    private async Task RunAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(_mailbox, _stop.Token).ConfigureAwait(false);
                await using var client = await MailboxClient.ConnectAsync(socket, _key, _stop.Token).ConfigureAwait(false);
                client.Pushed += OnPushed;
                _client = client;
                backoff = TimeSpan.FromMilliseconds(200);
                _logger.LogInformation("relay mailbox {Url} connected", _mailbox);
                await CatchUpAsync(client, _stop.Token).ConfigureAwait(false);
                await PostBacklogAsync(client, _stop.Token).ConfigureAwait(false);
                await _invites.PostPendingAsync(client, _stop.Token).ConfigureAwait(false);
                await DrainOutboxAsync(client, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or MailboxException or IOException or OperationCanceledException or Storage.StoreException or UnknownSpaceException)
            {
                _logger.LogWarning("relay mailbox {Url}: {Reason}; retrying in {Delay} ms", _mailbox, ex.Message, backoff.TotalMilliseconds);
            }
            finally
            {
                _client = null;
                _following.Clear();
            }

            try
            {
                await Task.Delay(backoff, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : backoff * 2;
        }
    }

    /// <summary>Subscribes to every space's topic, then fetches and applies everything stored there (acknowledged once durable).</summary>
    private async Task CatchUpAsync(MailboxClient client, CancellationToken cancellationToken)
    {
        foreach (var space in _spaces.List())
        {
            await FollowAsync(client, space.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Subscribes to one space's topic (if this device is a member), then fetches, applies and acknowledges what is stored there.</summary>
    private async Task FollowAsync(MailboxClient client, SpaceId spaceId, CancellationToken cancellationToken)
    {
        var topic = RelayTopics.For(spaceId);
        if (!_spaces.IsMember(spaceId, _key.Id) || !_following.TryAdd(spaceId, topic))
        {
            return;
        }

        await client.SubscribeAsync(topic, cancellationToken).ConfigureAwait(false);
        ulong cursor = 0;
        while (true)
        {
            var batch = await client.FetchAsync(topic, cursor, 0, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch.Items)
            {
                await TakeInAsync(spaceId, item.Envelope.ToByteArray()).ConfigureAwait(false);
                cursor = Math.Max(cursor, item.Cursor);
            }

            if (!batch.More || batch.Items.Count == 0)
            {
                break;
            }
        }

        if (cursor > 0)
        {
            await _hub.WhenDurableAsync().ConfigureAwait(false);
            await client.AckAsync(topic, cursor, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnPushed(byte[] topic, ulong cursor, byte[] envelope)
    {
        // Only topics this connection follows are pushed; the map holds their topics already.
        var followed = _following.FirstOrDefault(pair => pair.Value.AsSpan().SequenceEqual(topic));
        if (followed.Value is null || _client is not { } client)
        {
            return;
        }

        var space = followed.Key;

        _ = Task.Run(async () =>
        {
            try
            {
                await TakeInAsync(space, envelope).ConfigureAwait(false);
                await _hub.WhenDurableAsync().ConfigureAwait(false);
                await client.AckAsync(topic, cursor, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MailboxException or OperationCanceledException or ObjectDisposedException or Storage.StoreException)
            {
                _logger.LogDebug("relay push not acknowledged: {Reason}", ex.Message);
            }
        });
    }

    /// <summary>Opens one envelope and applies what it carries; anything that does not open or check out is logged and skipped.</summary>
    private async Task TakeInAsync(SpaceId space, byte[] envelope)
    {
        await _inbox.WaitAsync().ConfigureAwait(false);
        try
        {
            // A membership update sealed to one member's device: ours to open, or another member's to skip.
            if (DeviceSealedEnvelope.IsDeviceSealed(envelope))
            {
                TakeInMessage(space, DeviceSealedEnvelope.Open(envelope, space, _key));
                return;
            }

            var opened = _spaces.Open(space, envelope);
            switch (opened.Kind)
            {
                case SealedEnvelopeKind.NodeMessage:
                    TakeInMessage(space, opened.Plaintext);
                    break;
                case SealedEnvelopeKind.SignedRecord:
                    var record = SignedRecordCodec.Decode(opened.Plaintext);
                    if (_hub.Get(record.DocId) is null)
                    {
                        _logger.LogWarning("relay: a record of unknown document {DocId} in space {Space}; skipped", record.DocId, space);
                        return;
                    }

                    var intake = _hub.Batch(() => HubSyncSource.Intake(_hub, _spaces, record.DocId, [opened.Plaintext], record.Author, new RelayOrigin()));
                    foreach (var refusal in intake.Refusals)
                    {
                        _logger.LogWarning("relay: {Refusal}", refusal);
                    }

                    break;
            }
        }
        catch (SealedEnvelopeException ex) when (ex.Problem == SealedEnvelopeProblem.NotForThisDevice)
        {
            _logger.LogDebug("relay: an envelope of space {Space} sealed to another member; skipped", space);
        }
        catch (Exception ex) when (ex is SealedEnvelopeException or RecordFormatException or Crdt.UpdateFormatException or FormatException or UnknownSpaceException or UnknownDocumentException or Storage.InvalidStoreInputException)
        {
            _logger.LogWarning("relay: skipped an envelope of space {Space}: {Reason}", space, ex.Message);
        }
        finally
        {
            _inbox.Release();
        }
    }

    /// <summary>
    /// A sealed, signed node message: a document announcement of the space (created or renamed
    /// while we were away) or the space's state (new members, removals, a key sealed to us), taken
    /// only from an author that is a current member, exactly as over a direct connection.
    /// </summary>
    private void TakeInMessage(SpaceId space, byte[] plaintext)
    {
        var (author, message) = SignedMessages.Open(plaintext);
        switch (message.BodyCase)
        {
            case Envelope.BodyOneofCase.Space when message.Space.SpaceId.Span.SequenceEqual(space.Bytes):
                var outcome = _spaces.ApplyState(message.Space, author);
                var connected = _connected();
                if (outcome.NewEntries.Any(e => e.Kind == MembershipEntryKind.AddMember && !e.Subject.Equals(_key.Id) && !connected.Contains(e.Subject)))
                {
                    // A member that may only ever hear from us through the relay (say, one that joined
                    // from an invite package while we were away) needs what we wrote before it joined.
                    _outbox.Writer.TryWrite(new RepostSpace(space));
                }

                break;
            case Envelope.BodyOneofCase.Doc when message.Doc.SpaceId.Span.SequenceEqual(space.Bytes) && _spaces.IsMember(space, author):
                _hub.Accept(DocumentAnnouncements.ToRecord(message.Doc, space), new RelayOrigin());
                break;
        }
    }

    private async Task DrainOutboxAsync(MailboxClient client, CancellationToken cancellationToken)
    {
        await foreach (var item in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (item)
            {
                case DocumentUpdate update:
                    if (IsOwn(update))
                    {
                        await PostRecordsAsync(client, update, cancellationToken).ConfigureAwait(false);
                    }

                    await _invites.ForwardAsync(client, update, cancellationToken).ConfigureAwait(false);
                    break;
                case SpaceId space:
                    await PostSpaceStateAsync(client, space, cancellationToken).ConfigureAwait(false);
                    await _invites.PostPendingAsync(client, cancellationToken).ConfigureAwait(false);
                    break;
                case RepostSpace repost:
                    foreach (var doc in _hub.List().Where(d => d.Space == repost.Space))
                    {
                        _posted.Forget(doc.Id);
                        _announced.TryRemove(doc.Id, out _);
                    }

                    await PostBacklogAsync(client, cancellationToken).ConfigureAwait(false);
                    break;
                case FollowSpace follow:
                    await FollowAsync(client, follow.Space, cancellationToken).ConfigureAwait(false);
                    await _invites.RefreshAsync(client, follow.Space, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task PostRecordsAsync(MailboxClient client, DocumentUpdate update, CancellationToken cancellationToken)
    {
        if (_hub.Get(update.DocId) is not { } doc || doc.Space.IsEmpty || !NeedsRelay(doc.Space))
        {
            return;
        }

        var mark = _posted.PostedUpto(doc.Id);
        var records = new List<(ulong, byte[])>(update.Records.Count);
        foreach (var encoded in update.Records)
        {
            var record = SignedRecordCodec.Decode(encoded);
            if (record.Author.Equals(_key.Id) && record.Seq > mark)
            {
                records.Add((record.Seq, encoded));
            }
        }

        await PostAsync(client, doc, records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// On every connection: this device's own records beyond the stored mark, for every document
    /// of a space with a member that is not connected (signed while the relay was unreachable, or
    /// before the node last stopped).
    /// </summary>
    private async Task PostBacklogAsync(MailboxClient client, CancellationToken cancellationToken)
    {
        foreach (var doc in _hub.List())
        {
            if (doc.Space.IsEmpty || !_spaces.IsMember(doc.Space, _key.Id) || !NeedsRelay(doc.Space))
            {
                continue;
            }

            var backlog = _hub.RecordsOfAuthorAfter(doc.Id, _key.Id, _posted.PostedUpto(doc.Id));
            if (backlog.Count > 0)
            {
                _logger.LogInformation("relay: posting {Count} record(s) of {DocId} signed while the mailbox was out of reach", backlog.Count, doc.Id);
                await PostAsync(client, doc, backlog, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Posts records (the document's announcement first, once per run), raising the stored mark after each.</summary>
    private async Task PostAsync(MailboxClient client, DocumentRecord doc, IReadOnlyList<(ulong Seq, byte[] Record)> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var topic = RelayTopics.For(doc.Space);
        if (_announced.TryAdd(doc.Id, 0))
        {
            var announce = new Envelope { Doc = DocumentAnnouncements.ToAnnounce(doc) };
            await client.PostAsync(topic, _spaces.Seal(doc.Space, SealedEnvelopeKind.NodeMessage, SignedMessages.Sign(_key, announce)), EnvelopeTtlSeconds, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (seq, record) in records)
        {
            await client.PostAsync(topic, _spaces.Seal(doc.Space, SealedEnvelopeKind.SignedRecord, record), EnvelopeTtlSeconds, cancellationToken).ConfigureAwait(false);
            _posted.MarkPosted(doc.Id, seq);
        }
    }

    /// <summary>
    /// One envelope per member that is not connected, sealed to that member's device with the keys
    /// wrapped to it: no space key opens it, so a member removed earlier cannot read it.
    /// </summary>
    private async Task PostSpaceStateAsync(MailboxClient client, SpaceId space, CancellationToken cancellationToken)
    {
        if (_spaces.Find(space) is not { } found || !_spaces.IsMember(space, _key.Id) || found.Keys.Count == 0)
        {
            return;
        }

        var connected = _connected();
        var topic = RelayTopics.For(space);
        foreach (var member in found.Log.Members.Keys.Where(m => !m.Equals(_key.Id) && !connected.Contains(m)).ToList())
        {
            var state = new Envelope { Space = _spaces.DescribeFor(space, member) };
            await client.PostAsync(topic, DeviceSealedEnvelope.Seal(space, member, SignedMessages.Sign(_key, state)), EnvelopeTtlSeconds, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Some other current member of the space is not connected directly.</summary>
    private bool NeedsRelay(SpaceId space)
    {
        var connected = _connected();
        return _spaces.Find(space) is { } found
            && found.Log.Members.Keys.Any(member => !member.Equals(_key.Id) && !connected.Contains(member));
    }
}
