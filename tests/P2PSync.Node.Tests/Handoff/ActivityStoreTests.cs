using System.Text.Json;
using P2PSync.Node.Handoff;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Handoff;

public sealed class ActivityStoreTests
{
    private static readonly string Peer = DeviceId.FromPublicKey(new byte[32]).ToString();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Starts_empty_and_every_change_gets_the_next_version_and_the_time()
    {
        var store = new ActivityStore(_time);
        var seen = new List<Activity>();
        store.Changed += seen.Add;
        Assert.Equal(0, store.Current.Version);
        Assert.Empty(store.Current.Documents);

        _time.Advance(TimeSpan.FromSeconds(1));
        var set = store.Set([new ActivityDocument("notes", [1], null, null)], JsonDocument.Parse("{\"a\":1}").RootElement.Clone());
        Assert.Equal(1, set.Version);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), set.UpdatedMs);
        store.MarkHandedOff(Peer);
        Assert.Equal((2L, Peer), (store.Current.Version, store.Current.HandedOffTo));
        // Working again clears "handed off".
        store.Set([], null);
        Assert.Equal((3L, (string?)null), (store.Current.Version, store.Current.HandedOffTo));
        Assert.Equal([1L, 2L, 3L], seen.Select(a => a.Version));
    }

    [Fact]
    public void Only_the_version_that_was_sent_is_marked_handed_off()
    {
        var store = new ActivityStore(_time);
        var sent = store.Set([new ActivityDocument("notes", [1], null, null)], null);
        var newer = store.Set([new ActivityDocument("other", [2], null, null)], null);

        // The peer's "ready" for the old version arrives after the user moved on: nothing changes.
        store.MarkHandedOff(Peer, sent.Version);
        Assert.Equal(newer, store.Current);

        store.MarkHandedOff(Peer, newer.Version);
        Assert.Equal(Peer, store.Current.HandedOffTo);
    }

    [Fact]
    public void Replace_takes_the_resumed_activity_with_a_version_above_both()
    {
        var store = new ActivityStore(_time);
        store.Set([], null);
        var resumed = new Activity(41, 5, [new ActivityDocument("notes", [9], [8], null)], JsonDocument.Parse("[1]").RootElement.Clone(), Peer, null);

        var after = store.Replace(resumed, Peer);

        Assert.Equal(42, after.Version);
        Assert.Equal(Peer, after.ResumedFrom);
        Assert.Null(after.HandedOffTo);
        Assert.Equal("notes", Assert.Single(after.Documents).DocId);
        Assert.Equal(1, after.State!.Value[0].GetInt32());
    }

    [Fact]
    public void Invalid_or_oversized_input_changes_nothing()
    {
        var store = new ActivityStore(_time);
        store.Set([new ActivityDocument("notes", null, null, null)], null);
        var before = store.Current;
        var raised = 0;
        store.Changed += _ => raised++;

        var big = JsonSerializer.SerializeToElement(new string('x', ActivityLimits.MaxStateBytes));
        Assert.True(Assert.Throws<ActivityFormatException>(() => store.Set([], big)).IsTooLarge);
        Assert.Throws<ActivityFormatException>(() => store.Set([new ActivityDocument("../x", null, null, null)], null));
        Assert.Throws<ActivityFormatException>(() => store.Set([new ActivityDocument("a", null, null, null), new ActivityDocument("a", null, null, null)], null));
        Assert.Throws<ActivityFormatException>(() => store.Replace(before, "not a device id"));

        Assert.Same(before, store.Current);
        Assert.Equal(0, raised);
    }

    [Fact]
    public void UpdatedMs_never_goes_back_with_the_clock()
    {
        var store = new ActivityStore(_time);
        _time.Advance(TimeSpan.FromMinutes(5));
        var first = store.Set([], null);
        var rewound = new ActivityStore(new ManualTimeProvider(DateTimeOffset.UnixEpoch));
        Assert.Equal(0, rewound.Set([], null).UpdatedMs);
        Assert.True(store.Set([], null).UpdatedMs >= first.UpdatedMs);
    }

    [Fact]
    public void Concurrent_setters_each_get_a_distinct_version()
    {
        var store = new ActivityStore(_time);
        Parallel.For(0, 200, i => store.Set([new ActivityDocument($"d{i}", null, null, null)], null));
        Assert.Equal(200, store.Current.Version);
    }
}
