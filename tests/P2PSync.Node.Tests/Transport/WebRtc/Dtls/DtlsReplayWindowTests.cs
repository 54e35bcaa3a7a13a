using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsReplayWindowTests
{
    [Fact]
    public void Each_sequence_number_is_accepted_once_in_any_order_inside_the_window()
    {
        var window = new DtlsReplayWindow();

        Assert.True(window.TryAccept(10));
        Assert.True(window.TryAccept(8));
        Assert.True(window.TryAccept(12));
        Assert.True(window.TryAccept(9));

        Assert.False(window.TryAccept(10));
        Assert.False(window.TryAccept(8));
        Assert.False(window.TryAccept(12));
        Assert.True(window.TryAccept(11));
    }

    [Fact]
    public void Numbers_64_or_more_below_the_highest_are_refused_and_a_big_jump_clears_the_map()
    {
        var window = new DtlsReplayWindow();
        Assert.True(window.TryAccept(100));

        Assert.True(window.TryAccept(37));   // 63 below: the oldest slot
        Assert.False(window.TryAccept(36));  // 64 below: outside

        Assert.True(window.TryAccept(1_000));
        Assert.True(window.TryAccept(999));
        Assert.False(window.TryAccept(100)); // far behind now
        Assert.False(window.TryAccept(-1));
    }

    [Fact]
    public void Seeded_random_arrivals_match_a_set_based_model()
    {
        const int seed = 8082;
        var random = new Random(seed);
        var window = new DtlsReplayWindow();
        var seen = new HashSet<long>();
        long highest = -1;
        for (var i = 0; i < 20_000; i++)
        {
            var sequence = Math.Max(0, highest + random.Next(-80, 6));
            var expected = !seen.Contains(sequence) && sequence > highest - 64;

            Assert.True(expected == window.TryAccept(sequence), $"seed {seed}, step {i}, sequence {sequence}, highest {highest}");
            if (expected)
            {
                seen.Add(sequence);
                highest = Math.Max(highest, sequence);
            }
        }
    }
}
