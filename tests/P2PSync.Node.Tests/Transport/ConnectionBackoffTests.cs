using P2PSync.Node.Transport;

namespace P2PSync.Node.Tests.Transport;

public sealed class ConnectionBackoffTests
{
    private static readonly ConnectionManagerOptions Options = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void Delay_GrowsExponentiallyWithJitterAndIsCapped()
    {
        var backoff = new ConnectionBackoff(Options, new Random(7));
        for (var failures = 0; failures < 40; failures++)
        {
            var ceiling = Math.Min(10_000, 100 * Math.Pow(2, failures));
            var delay = backoff.Delay(failures).TotalMilliseconds;
            Assert.InRange(delay, ceiling * 0.5, ceiling);
        }
    }

    [Fact]
    public void Delay_IsReproducibleForASeed_AndDiffersAcrossSeeds()
    {
        var one = Enumerable.Range(0, 10).Select(new ConnectionBackoff(Options, new Random(1)).Delay).ToList();
        var again = Enumerable.Range(0, 10).Select(new ConnectionBackoff(Options, new Random(1)).Delay).ToList();
        var other = Enumerable.Range(0, 10).Select(new ConnectionBackoff(Options, new Random(2)).Delay).ToList();

        Assert.Equal(one, again);
        Assert.NotEqual(one, other);
    }
}
