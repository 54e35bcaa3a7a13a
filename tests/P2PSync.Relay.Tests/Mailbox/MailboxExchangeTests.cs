using Microsoft.Extensions.DependencyInjection;
using P2PSync.Protocol.Relay;
using P2PSync.Relay.Mailbox;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>Post, Fetch, Subscribe/Push and Ack between devices through one relay.</summary>
public sealed class MailboxExchangeTests
{
    [Fact]
    public async Task PostedEnvelopesAreFetchedInCursorOrderAfterTheCursor()
    {
        await using var relay = new MailboxRelayFactory();
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var reader = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(1);
        var envelopes = Enumerable.Range(0, 5).Select(i => TestBytes.Random(100 + i, 50 + i)).ToList();
        var cursors = new List<ulong>();
        foreach (var envelope in envelopes) cursors.Add(await poster.PostAsync(topic, envelope));

        var all = await reader.FetchAsync(topic);
        var tail = await reader.FetchAsync(topic, afterCursor: cursors[2]);

        Assert.Equal(cursors.Order(), cursors);
        Assert.Equal(cursors, all.Items.Select(i => i.Cursor));
        Assert.Equal(envelopes, all.Items.Select(i => i.Envelope.ToByteArray()));
        Assert.False(all.More);
        Assert.Equal(cursors.Skip(3), tail.Items.Select(i => i.Cursor));
    }

    [Fact]
    public async Task FetchPagesWithMaxAndSaysWhenMoreRemain()
    {
        await using var relay = new MailboxRelayFactory(("Relay:MaxFetchItems", "3"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(2);
        for (var i = 0; i < 7; i++) await client.PostAsync(topic, TestBytes.Random(i, 10));

        var two = await client.FetchAsync(topic, max: 2);
        var capped = await client.FetchAsync(topic, max: 100);
        var rest = await client.FetchAsync(topic, afterCursor: capped.Items[^1].Cursor, max: 100);
        var last = await client.FetchAsync(topic, afterCursor: rest.Items[^1].Cursor);

        Assert.Equal(2, two.Items.Count);
        Assert.True(two.More);
        Assert.Equal(3, capped.Items.Count);
        Assert.True(capped.More);
        Assert.Equal(3, rest.Items.Count);
        Assert.True(rest.More);
        Assert.Single(last.Items);
        Assert.False(last.More);
    }

    [Fact]
    public async Task TopicsAreSeparate()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();
        await client.PostAsync(TestBytes.Topic(1), [1]);

        var other = await client.FetchAsync(TestBytes.Topic(2));

        Assert.Empty(other.Items);
    }

    [Fact]
    public async Task SubscriberReceivesLaterPostsAsPushesButThePosterDoesNotGetItsOwn()
    {
        await using var relay = new MailboxRelayFactory();
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var subscriber = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(3);
        var before = await poster.PostAsync(topic, [9]);
        Assert.Equal(before, await subscriber.SubscribeAsync(topic));
        Assert.Equal(0UL, await poster.SubscribeAsync(TestBytes.Topic(4)));
        await poster.SubscribeAsync(topic);
        var envelope = TestBytes.Random(5, 300);

        var cursor = await poster.PostAsync(topic, envelope);
        var push = await subscriber.ReceiveAsync();
        // The poster's next frame is the reply to its next request, not a push of its own post.
        var fetched = await poster.FetchAsync(topic, afterCursor: cursor);

        Assert.Equal(MailboxFrame.BodyOneofCase.Push, push.BodyCase);
        Assert.Equal(cursor, push.Push.Cursor);
        Assert.Equal(topic, push.Push.Topic.ToByteArray());
        Assert.Equal(envelope, push.Push.Envelope.ToByteArray());
        Assert.Empty(fetched.Items);
    }

    [Fact]
    public async Task EnvelopeIsDeletedOnlyOnceEveryReaderAcked()
    {
        await using var relay = new MailboxRelayFactory();
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var readerA = await relay.ConnectAuthenticatedAsync();
        await using var readerB = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(6);
        await readerA.SubscribeAsync(topic);
        await readerB.FetchAsync(topic);
        var first = await poster.PostAsync(topic, [1]);
        var second = await poster.PostAsync(topic, [2]);
        await readerA.ReceiveAsync();
        await readerA.ReceiveAsync();

        await readerA.AckAsync(topic, second);
        var afterOneAck = await readerB.FetchAsync(topic);
        await readerB.AckAsync(topic, first);
        var afterPartialAck = await readerA.FetchAsync(topic);
        await readerB.AckAsync(topic, second);
        var afterAllAcks = await readerA.FetchAsync(topic);

        Assert.Equal(2, afterOneAck.Items.Count);
        Assert.Equal([second], afterPartialAck.Items.Select(i => i.Cursor));
        Assert.Empty(afterAllAcks.Items);
        Assert.Equal(0, relay.Services.GetRequiredService<IMailboxStore>().CountEnvelopes());
    }

    [Fact]
    public async Task AckBeyondTheNewestEnvelopeDoesNotSwallowLaterPosts()
    {
        await using var relay = new MailboxRelayFactory();
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var reader = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(7);
        await reader.FetchAsync(topic);
        var first = await poster.PostAsync(topic, [1]);

        await reader.AckAsync(topic, ulong.MaxValue);
        var later = await poster.PostAsync(topic, [2]);
        var batch = await reader.FetchAsync(topic);

        Assert.True(later > first);
        Assert.Equal([later], batch.Items.Select(i => i.Cursor));
        Assert.Equal(1, relay.Services.GetRequiredService<IMailboxStore>().CountEnvelopes());
    }

    [Fact]
    public async Task ExpiredEnvelopesAreHiddenAtOnceAndSweptFromTheStore()
    {
        await using var relay = new MailboxRelayFactory(("Relay:MaxTtlSeconds", "3600"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(8);
        var shortLived = await client.PostAsync(topic, [1], ttlSeconds: 60);
        var capped = await client.PostAsync(topic, [2], ttlSeconds: 999_999);
        var store = relay.Services.GetRequiredService<IMailboxStore>();
        var sweeper = relay.Services.GetRequiredService<ExpirySweeper>();

        relay.Clock.Advance(TimeSpan.FromSeconds(61));
        var afterMinute = await client.FetchAsync(topic);
        Assert.Equal(2, store.CountEnvelopes());
        Assert.Equal(1, sweeper.SweepOnce());
        relay.Clock.Advance(TimeSpan.FromSeconds(3600));
        var afterHour = await client.FetchAsync(topic);

        Assert.Equal([capped], afterMinute.Items.Select(i => i.Cursor));
        Assert.True(shortLived < capped);
        Assert.Empty(afterHour.Items);
        Assert.Equal(1, sweeper.SweepOnce());
        Assert.Equal(0, store.CountEnvelopes());
    }

    [Fact]
    public async Task DefaultTtlAppliesWhenThePostGivesNone()
    {
        await using var relay = new MailboxRelayFactory(("Relay:DefaultTtlSeconds", "100"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        var topic = TestBytes.Topic(9);
        await client.PostAsync(topic, [1]);

        relay.Clock.Advance(TimeSpan.FromSeconds(99));
        var before = await client.FetchAsync(topic);
        relay.Clock.Advance(TimeSpan.FromSeconds(2));
        var after = await client.FetchAsync(topic);

        Assert.Single(before.Items);
        Assert.Empty(after.Items);
    }

    [Fact]
    public async Task SubscriptionsPerConnectionAreCapped()
    {
        await using var relay = new MailboxRelayFactory(("Relay:MaxSubscriptionsPerConnection", "2"));
        await using var client = await relay.ConnectAuthenticatedAsync();
        await client.SubscribeAsync(TestBytes.Topic(1));
        await client.SubscribeAsync(TestBytes.Topic(2));
        await client.SubscribeAsync(TestBytes.Topic(1)); // again: not a new subscription

        await client.SendAsync(new MailboxFrame { Subscribe = new Subscribe { Topic = Google.Protobuf.ByteString.CopyFrom(TestBytes.Topic(3)) } });

        await client.ExpectErrorAsync(MailboxErrorCodes.TooManySubscriptions);
        Assert.Empty((await client.FetchAsync(TestBytes.Topic(9))).Items); // the connection stays usable
    }
}
