using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

public sealed class SignalTopicsTests
{
    [Fact]
    public void Add_ListsSubscribersInOrder_AndRefusesDuplicates()
    {
        var topics = new SignalTopics<object>();
        var a = new object();
        var b = new object();

        Assert.True(topics.Add("room", a));
        Assert.True(topics.Add("room", b));
        Assert.False(topics.Add("room", a));

        Assert.Equal([a, b], topics.SubscribersOf("room"));
        Assert.Equal(1, topics.TopicCount);
    }

    [Fact]
    public void Remove_DropsTheSubscriber_AndTheTopicOnceEmpty()
    {
        var topics = new SignalTopics<object>();
        var a = new object();
        var b = new object();
        var c = new object();
        topics.Add("room", a);
        topics.Add("room", b);
        topics.Add("room", c);

        Assert.True(topics.Remove("room", b));
        Assert.Equal([a, c], topics.SubscribersOf("room"));
        Assert.False(topics.Remove("room", b));
        Assert.False(topics.Remove("elsewhere", a));

        topics.Remove("room", a);
        topics.Remove("room", c);
        Assert.Equal(0, topics.TopicCount);
        Assert.Empty(topics.SubscribersOf("room"));
    }

    [Fact]
    public void Snapshot_IsNotChangedByLaterSubscriptions()
    {
        var topics = new SignalTopics<object>();
        var a = new object();
        topics.Add("room", a);
        var snapshot = topics.SubscribersOf("room");

        topics.Add("room", new object());
        topics.Remove("room", a);

        Assert.Equal([a], snapshot);
    }

    [Fact]
    public void TopicsAreCaseAndNormalisationSensitive()
    {
        var topics = new SignalTopics<object>();
        var a = new object();
        topics.Add("Room", a);
        topics.Add("e\u0301", a);

        Assert.Empty(topics.SubscribersOf("room"));
        Assert.Empty(topics.SubscribersOf("\u00e9"));
        Assert.Equal(2, topics.TopicCount);
    }

    [Fact]
    public async Task ConcurrentAddAndRemove_LeaveAConsistentRegistry()
    {
        var topics = new SignalTopics<object>();
        var subscribers = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

        await Task.WhenAll(subscribers.Select(s => Task.Run(() =>
        {
            for (var round = 0; round < 200; round++)
            {
                topics.Add("room", s);
                topics.Remove("room", s);
            }

            topics.Add("room", s);
        })));

        Assert.Equal(subscribers.Length, topics.SubscribersOf("room").Count);
        Assert.Equal(subscribers.ToHashSet(), topics.SubscribersOf("room").ToHashSet());
    }
}
