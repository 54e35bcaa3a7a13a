using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.WebRtc.Dtls;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class HandshakeFlightTrackerTests(ITestOutputHelper output)
{
    [Fact]
    public void Several_messages_in_one_record_including_an_empty_one_count_as_complete()
    {
        var tracker = new HandshakeFlightTracker();

        // ServerHello-like (seq 0, 3 bytes) and ServerHelloDone-like (seq 1, empty) in one record.
        tracker.Observe([2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0xaa, 0xbb, 0xcc, 14, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);

        Assert.True(tracker.HasCompleteMessagesBefore(2));
        Assert.False(tracker.HasCompleteMessagesBefore(3));
    }

    [Fact]
    public void A_gap_between_fragments_leaves_the_message_incomplete()
    {
        var tracker = new HandshakeFlightTracker();
        tracker.Observe([11, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2]);
        tracker.Observe([11, 0, 0, 6, 0, 0, 0, 0, 4, 0, 0, 2, 5, 6]);

        Assert.False(tracker.HasCompleteMessagesBefore(1));
        tracker.Observe([11, 0, 0, 6, 0, 0, 0, 0, 2, 0, 0, 2, 3, 4]);
        Assert.True(tracker.HasCompleteMessagesBefore(1));
    }

    [Fact]
    public void Seeded_garbage_never_throws_and_message_numbers_past_the_cap_never_count_as_complete()
    {
        const int seed = 31;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var tracker = new HandshakeFlightTracker();
        byte[] fragment = [11, 0, 0, 4, 0, 3, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4];
        for (var i = 0; i < 1000; i++)
        {
            tracker.Observe(ByteMutator.Mutate(fragment, random));
        }

        // A hostile peer cannot make the tracker vouch for a flight longer than any real one.
        Assert.False(tracker.HasCompleteMessagesBefore(1000));
        Assert.True(HandshakeFlightTracker.TryReadMessageSeq(fragment, out var messageSeq));
        Assert.Equal(3, messageSeq);
        Assert.False(HandshakeFlightTracker.TryReadMessageSeq(fragment.AsSpan(0, 11), out _));
    }
}
