using P2PSync.Node.Transport.WebRtc.Ice;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

public sealed class IceAgentConsentTests(ITestOutputHelper output)
{
    private static (SimulatedIceNetwork Network, IceTestPeer A, IceTestPeer B) Connected(int seed)
    {
        var network = new SimulatedIceNetwork(seed);
        var a = new IceTestPeer(network, seed * 10, IceRole.Controlling, 1, null, "10.0.0.1:5000");
        var b = new IceTestPeer(network, (seed * 10) + 1, IceRole.Controlled, 2, null, "10.0.0.2:6000");
        a.SignalTo(b);
        b.SignalTo(a);
        Assert.True(network.RunUntil(() => IceTestPeer.BothCompleted(a, b), 5000));
        return (network, a, b);
    }

    [Fact]
    public void HealthyPath_KeepsConsent_WithAChecksEveryFourToSixSeconds()
    {
        (SimulatedIceNetwork network, IceTestPeer a, IceTestPeer b) = Connected(seed: 21);
        int before = a.Agent.Counters.ChecksSent;

        network.RunUntil(() => false, 120_000);

        int consentChecks = a.Agent.Counters.ChecksSent - before;
        output.WriteLine($"{consentChecks} consent checks in 120 s");
        Assert.InRange(consentChecks, 20, 30);
        Assert.Equal(IceConnectionState.Completed, a.Agent.State);
        Assert.Equal(IceConnectionState.Completed, b.Agent.State);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(25)]
    public void LossyPath_NeverLosesConsent_AndRecoversFromEveryDisconnect(int seed)
    {
        output.WriteLine($"seed {seed}");
        var network = new SimulatedIceNetwork(seed, loss: 0.2, minDelayMs: 5, maxDelayMs: 40);
        var a = new IceTestPeer(network, seed * 10, IceRole.Controlling, 1, null, "10.0.0.1:5000");
        var b = new IceTestPeer(network, (seed * 10) + 1, IceRole.Controlled, 2, null, "10.0.0.2:6000");
        a.SignalTo(b);
        b.SignalTo(a);
        Assert.True(network.RunUntil(() => IceTestPeer.BothCompleted(a, b), 10_000));
        int disconnects = 0;
        int failures = 0;
        void Watch(IceConnectionState state)
        {
            disconnects += state == IceConnectionState.Disconnected ? 1 : 0;
            failures += state == IceConnectionState.Failed ? 1 : 0;
        }

        a.Agent.StateChanged += Watch;
        b.Agent.StateChanged += Watch;

        network.RunUntil(() => false, 300_000);

        // A few 8 s gaps are expected at 20 % loss each way (three lost tries in a row); an expiry
        // would need about fifteen, and the path must always come back.
        output.WriteLine($"{disconnects} disconnects in 300 s at 20 % loss; lost {network.Lost} of {network.Lost + network.Delivered}");
        Assert.Equal(0, failures);
        Assert.InRange(disconnects, 0, 10);
        Assert.Equal(IceConnectionState.Completed, a.Agent.State);
        Assert.Equal(IceConnectionState.Completed, b.Agent.State);
    }

    [Fact]
    public void SilentPath_GoesDisconnected_ThenFailsAtThirtySeconds()
    {
        (SimulatedIceNetwork network, IceTestPeer a, _) = Connected(seed: 22);
        long cutAt = network.NowMs;
        network.Blocked = (_, _) => true;
        var changes = new List<(IceConnectionState State, long At)>();
        a.Agent.StateChanged += state => changes.Add((state, network.NowMs));

        network.RunUntil(() => a.Agent.State == IceConnectionState.Failed, 40_000);

        foreach ((IceConnectionState state, long at) in changes)
        {
            output.WriteLine($"{state} after {at - cutAt} ms");
        }

        Assert.Equal([IceConnectionState.Disconnected, IceConnectionState.Failed], changes.Select(c => c.State));
        Assert.InRange(changes[0].At - cutAt, 8000, 8100);
        Assert.InRange(changes[1].At - cutAt, 30_000, 30_100);
        Assert.False(a.Agent.TryGetDataPath(out _, out _));
    }

    [Fact]
    public void ShortOutage_ComesBackFromDisconnected()
    {
        (SimulatedIceNetwork network, IceTestPeer a, _) = Connected(seed: 23);
        network.Blocked = (_, _) => true;
        network.RunUntil(() => a.Agent.State == IceConnectionState.Disconnected, 20_000);
        Assert.Equal(IceConnectionState.Disconnected, a.Agent.State);

        network.Blocked = null;
        bool back = network.RunUntil(() => a.Agent.State == IceConnectionState.Completed, 10_000);

        Assert.True(back);
        Assert.True(a.Agent.TryGetDataPath(out _, out _));
    }
}
