using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class RtoAndCongestionTests
{
    private const int Mtu = 1188;

    [Fact]
    public void Rto_StartsAtTheInitialValue_AndFollowsRfc9260()
    {
        var rto = new RtoEstimator(new SctpOptions { RttVarFloorMs = 0 });
        Assert.Equal(500, rto.RtoMs);

        rto.AddSample(200); // SRTT 200, RTTVAR 100 -> 600
        Assert.Equal(200, rto.SrttMs);
        Assert.Equal(100, rto.RttVarMs);
        Assert.Equal(600, rto.RtoMs);

        rto.AddSample(100); // RTTVAR = .75*100 + .25*100 = 100; SRTT = .875*200 + .125*100 = 187.5 -> 587
        Assert.Equal(187.5, rto.SrttMs);
        Assert.Equal(100, rto.RttVarMs);
        Assert.Equal(587, rto.RtoMs);
    }

    [Fact]
    public void Rto_IsClampedAndBacksOff()
    {
        var rto = new RtoEstimator(new SctpOptions { RttVarFloorMs = 220 });
        rto.AddSample(1); // tiny RTT: a 220 ms floor on RTTVAR keeps RTO at 1 + 880
        Assert.Equal(881, rto.RtoMs);

        var defaults = new RtoEstimator(new SctpOptions());
        defaults.AddSample(1); // the default floor (27 ms, dcsctp's effective one) gives 1 + 108: RTO.Min rules
        Assert.Equal(400, defaults.RtoMs);
        defaults.AddSample(400); // a real delay still shows: RTTVAR .75*0.5 + .25*399 = 100.1, SRTT 50.9 -> 451
        Assert.Equal(451, defaults.RtoMs);

        var lan = new RtoEstimator(new SctpOptions { RttVarFloorMs = 0 });
        lan.AddSample(1);
        Assert.Equal(400, lan.RtoMs); // RTO.Min

        for (var i = 0; i < 20; i++)
        {
            lan.Backoff();
        }

        Assert.Equal(60_000, lan.RtoMs); // RTO.Max
    }

    [Fact]
    public void Cwnd_SlowStartGrowsByAtMostOneMtuPerSack()
    {
        var cc = new CongestionControl(Mtu, 10, 1_000_000);
        Assert.Equal(10 * Mtu, cc.Cwnd);
        Assert.Equal(1_000_000, cc.Ssthresh);

        cc.OnCumulativeAckAdvanced(5000, flightBefore: 10 * Mtu, cumulativeTsn: 5);
        Assert.Equal(11 * Mtu, cc.Cwnd);

        // Not using the window: no growth.
        cc.OnCumulativeAckAdvanced(5000, flightBefore: Mtu, cumulativeTsn: 6);
        Assert.Equal(11 * Mtu, cc.Cwnd);
    }

    [Fact]
    public void Cwnd_CongestionAvoidanceGrowsOneMtuPerWindow()
    {
        var cc = new CongestionControl(Mtu, 10, 1_000_000);
        cc.OnRetransmissionTimeout(); // ssthresh = 5 MTU, cwnd = 1 MTU
        Assert.Equal(Mtu, cc.Cwnd);
        Assert.Equal(5 * Mtu, cc.Ssthresh);
        for (uint i = 0; i < 4; i++)
        {
            cc.OnCumulativeAckAdvanced(Mtu, cc.Cwnd, i);
        }

        Assert.Equal(5 * Mtu, cc.Cwnd);
        cc.OnCumulativeAckAdvanced(Mtu, cc.Cwnd, 10); // slow start still (cwnd <= ssthresh)
        Assert.Equal(6 * Mtu, cc.Cwnd);

        // Above ssthresh: partial_bytes_acked must reach cwnd before one MTU is added.
        cc.OnCumulativeAckAdvanced(3 * Mtu, cc.Cwnd, 11);
        Assert.Equal(6 * Mtu, cc.Cwnd);
        Assert.Equal(3 * Mtu, cc.PartialBytesAcked);
        cc.OnCumulativeAckAdvanced(3 * Mtu, cc.Cwnd, 12);
        Assert.Equal(7 * Mtu, cc.Cwnd);
        Assert.Equal(0, cc.PartialBytesAcked);
    }

    [Fact]
    public void FastRecovery_HalvesOnce_UntilTheExitPoint()
    {
        var cc = new CongestionControl(Mtu, 20, 1_000_000);
        Assert.True(cc.EnterFastRecovery(highestOutstandingTsn: 100));
        Assert.Equal(10 * Mtu, cc.Cwnd);
        Assert.False(cc.EnterFastRecovery(120)); // a second loss in the same window does not cut again
        Assert.Equal(10 * Mtu, cc.Cwnd);

        cc.OnCumulativeAckAdvanced(Mtu, cc.Cwnd, 50); // inside recovery: no growth
        Assert.Equal(10 * Mtu, cc.Cwnd);
        Assert.True(cc.InFastRecovery);
        cc.OnCumulativeAckAdvanced(Mtu, cc.Cwnd, 100);
        Assert.False(cc.InFastRecovery);
    }

    [Fact]
    public void Cwnd_NeverFallsBelowFourMtuAfterLoss_AndHalvesWhenIdle()
    {
        var cc = new CongestionControl(Mtu, 4, 1_000_000);
        cc.EnterFastRecovery(1);
        Assert.Equal(4 * Mtu, cc.Cwnd);
        var idle = new CongestionControl(Mtu, 20, 1_000_000);
        idle.OnIdle();
        Assert.Equal(10 * Mtu, idle.Cwnd);
    }
}
