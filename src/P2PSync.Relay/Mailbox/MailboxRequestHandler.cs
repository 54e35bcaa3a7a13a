using Google.Protobuf;
using P2PSync.Protocol.Relay;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Post, Fetch, Subscribe and Ack for one authenticated device. Validates every field, then
/// talks to the store and the fan-out. Returns the reply frame, or a refusal (none of these close
/// the connection: a bad request is answered, the connection stays usable).
/// </summary>
internal sealed class MailboxRequestHandler(MailboxDependencies deps, byte[] device, IMailboxSubscriber connection) : IDisposable
{
    public const int TopicLength = 32;

    private readonly Dictionary<string, IDisposable> _subscriptions = new(StringComparer.Ordinal);

    public MailboxReply Handle(MailboxFrame frame) => frame.BodyCase switch
    {
        MailboxFrame.BodyOneofCase.Post => Post(frame.Post),
        MailboxFrame.BodyOneofCase.Fetch => Fetch(frame.Fetch),
        MailboxFrame.BodyOneofCase.Subscribe => Subscribe(frame.Subscribe),
        MailboxFrame.BodyOneofCase.Ack => Ack(frame.Ack),
        _ => new MailboxRefusal(MailboxErrorCodes.Unexpected, "this frame is only sent by the relay"),
    };

    private MailboxReply Post(Post post)
    {
        if (post.Topic.Length != TopicLength) return BadTopic();
        if (post.Envelope.Length == 0) return new MailboxRefusal(MailboxErrorCodes.Invalid, "empty envelope");
        if (post.Envelope.Length > deps.Options.MaxEnvelopeBytes)
            return new MailboxRefusal(MailboxErrorCodes.TooLarge, $"envelope larger than {deps.Options.MaxEnvelopeBytes} bytes");

        long ttl = post.TtlSeconds == 0 ? deps.Options.DefaultTtlSeconds : Math.Min(post.TtlSeconds, (long)deps.Options.MaxTtlSeconds);
        var topic = post.Topic.ToByteArray();
        var envelope = post.Envelope.ToByteArray();
        var expires = deps.Time.GetUtcNow().AddSeconds(ttl);
        var quotas = new MailboxQuotas(deps.Options.TopicQuotaBytes, deps.Options.TopicQuotaEnvelopes, deps.Options.DeviceQuotaBytes);
        var result = deps.Store.Append(new NewEnvelope(topic, device, envelope, expires), quotas);
        if (!result.Stored)
            return new MailboxRefusal(MailboxErrorCodes.Quota, QuotaText(result.Refusal));

        deps.Metrics.Count(MailboxMetricNames.Posts, MailboxMetricNames.PostsHelp);
        // Durable before anyone hears of it: Posted and pushes go out only after the commit.
        var push = new MailboxFrame { Push = new Push { Topic = post.Topic, Cursor = result.Cursor, Envelope = post.Envelope } };
        deps.Fanout.Publish(topic, push, connection);
        return new MailboxFrame { Posted = new Posted { Topic = post.Topic, Cursor = result.Cursor } };
    }

    private MailboxReply Fetch(Fetch fetch)
    {
        if (fetch.Topic.Length != TopicLength) return BadTopic();
        var topic = fetch.Topic.ToByteArray();
        deps.Store.AddReader(topic, device, deps.Time.GetUtcNow());
        var max = fetch.Max == 0 || fetch.Max > deps.Options.MaxFetchItems ? deps.Options.MaxFetchItems : (int)fetch.Max;
        var page = deps.Store.Fetch(topic, fetch.AfterCursor, max, deps.Options.MaxBatchBytes, deps.Time.GetUtcNow());
        var batch = new Batch { Topic = fetch.Topic, More = page.More };
        foreach (var item in page.Items)
            batch.Items.Add(new BatchItem { Cursor = item.Cursor, Envelope = ByteString.CopyFrom(item.Envelope) });
        return new MailboxFrame { Batch = batch };
    }

    private MailboxReply Subscribe(Subscribe subscribe)
    {
        if (subscribe.Topic.Length != TopicLength) return BadTopic();
        var topic = subscribe.Topic.ToByteArray();
        var key = Convert.ToHexString(topic);
        if (!_subscriptions.ContainsKey(key))
        {
            if (_subscriptions.Count >= deps.Options.MaxSubscriptionsPerConnection)
                return new MailboxRefusal(MailboxErrorCodes.TooManySubscriptions,
                    $"at most {deps.Options.MaxSubscriptionsPerConnection} subscriptions per connection");
            deps.Store.AddReader(topic, device, deps.Time.GetUtcNow());
            // Subscribe before reading the latest cursor: a post racing in is then pushed (perhaps
            // at or below latest_cursor, which the client ignores) rather than missed.
            _subscriptions[key] = deps.Fanout.Subscribe(topic, connection);
        }
        return new MailboxFrame { Subscribed = new Subscribed { Topic = subscribe.Topic, LatestCursor = deps.Store.LatestCursor(topic) } };
    }

    private MailboxReply Ack(Ack ack)
    {
        if (ack.Topic.Length != TopicLength) return BadTopic();
        var deleted = deps.Store.Acknowledge(ack.Topic.ToByteArray(), device, ack.Cursor, deps.Time.GetUtcNow());
        if (deleted > 0) deps.Metrics.Count(MailboxMetricNames.Deleted, MailboxMetricNames.DeletedHelp, deleted);
        return new MailboxFrame { Acked = new Acked { Topic = ack.Topic, Cursor = ack.Cursor } };
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions.Values) subscription.Dispose();
        _subscriptions.Clear();
    }

    private static MailboxRefusal BadTopic() =>
        new(MailboxErrorCodes.Invalid, $"topic must be {TopicLength} bytes");

    private static string QuotaText(QuotaRefusal refusal) => refusal switch
    {
        QuotaRefusal.TopicBytes => "topic byte quota reached",
        QuotaRefusal.TopicEnvelopes => "topic envelope count quota reached",
        QuotaRefusal.DeviceBytes => "device byte quota reached",
        _ => "quota reached",
    };
}
