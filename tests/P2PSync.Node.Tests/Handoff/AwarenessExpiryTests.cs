using P2PSync.Node.Handoff;
using P2PSync.Node.Tests.Security;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;
using static P2PSync.Node.Tests.Handoff.AwarenessHubTests;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>Timeouts as in y-protocols: 30 s without renewal removes a state, own states renew every 15 s.</summary>
public sealed class AwarenessExpiryTests
{
    private const string Doc = "doc1";
    private static readonly DeviceId PeerA = AwarenessNetwork.DeviceOf(2, 0);
    private static readonly DeviceId PeerB = AwarenessNetwork.DeviceOf(2, 1);

    private readonly ManualTimeProvider _time = new();
    private readonly AwarenessHub _hub;
    private readonly List<AwarenessLocalFrame> _local = [];

    public AwarenessExpiryTests()
    {
        _hub = new AwarenessHub(_time);
        _hub.LocalFrames += _local.Add;
    }

    [Fact]
    public void StateNotRenewedFor30Seconds_IsRemoved_AndLocalClientsAndOtherPeersAreTold()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);
        var start = _time.GetUtcNow();
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        Assert.Equal(start + TimeSpan.FromSeconds(30), _hub.NextWakeUp);

        _time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Empty(_hub.Poll());
        Assert.Single(_hub.States(Doc));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        _local.Clear();
        var told = _hub.Poll();

        Assert.Empty(_hub.States(Doc));
        var (to, frame) = Assert.Single(told);
        Assert.Equal(PeerB, to);
        Assert.Equal(new AwarenessEntry(7, 3, "null"), Assert.Single(Entries(frame)));
        Assert.Equal(new AwarenessEntry(7, 3, "null"), Assert.Single(AwarenessUpdate.Decode(Assert.Single(_local).Update)));
    }

    [Fact]
    public void RenewalWithAHigherClock_RestartsThe30Seconds()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        _time.Advance(TimeSpan.FromSeconds(15));
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 4, "{}")));
        _time.Advance(TimeSpan.FromSeconds(20));

        _hub.Poll();

        Assert.Single(_hub.States(Doc));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(10), _hub.NextWakeUp);
    }

    [Fact]
    public void OwnState_IsRenewedEvery15Seconds_AndNeverExpires()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.SetOwnState(Doc, 42, "{\"me\":1}");
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(15), _hub.NextWakeUp);

        var renewals = new List<AwarenessEntry>();
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(15));
            renewals.AddRange(_hub.Poll().SelectMany(f => Entries(f.Frame)));
        }

        Assert.Equal(Enumerable.Range(2, 10).Select(c => new AwarenessEntry(42, (ulong)c, "{\"me\":1}")), renewals);
        Assert.Equal(new AwarenessEntry(42, 11, "{\"me\":1}"), Assert.Single(_hub.States(Doc)));
    }

    [Fact]
    public void RemovedState_IsRememberedFor30Seconds_SoAnOldCopyCannotReviveIt_ThenForgotten()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 4, "null")));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_hub.OnPeerFrame(PeerB, Frame(Doc, (7, 3, "{}"))));
        Assert.Empty(_hub.States(Doc));

        _time.Advance(TimeSpan.FromSeconds(20));
        _hub.Poll();
        Assert.Null(_hub.NextWakeUp);
    }

    [Fact]
    public void Timer_PollsEveryThreeSeconds_AndRaisesTheFramesForPeers()
    {
        var raised = new List<(DeviceId To, AwarenessFrame Frame)>();
        _hub.PeerFrames += raised.AddRange;
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        using var timer = _hub.StartTimer();

        for (var i = 0; i < 10; i++)
        {
            _time.Advance(AwarenessHub.CheckInterval);
        }

        Assert.Empty(_hub.States(Doc));
        Assert.Equal(PeerB, Assert.Single(raised).To);
    }
}
