using Google.Protobuf;
using P2PSync.Node.Handoff;
using P2PSync.Node.Tests.Security;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Tests.Handoff;

public sealed class AwarenessHubTests
{
    private const string Doc = "doc1";
    private static readonly DeviceId PeerA = AwarenessNetwork.DeviceOf(1, 0);
    private static readonly DeviceId PeerB = AwarenessNetwork.DeviceOf(1, 1);

    private readonly ManualTimeProvider _time = new();
    private readonly AwarenessHub _hub;
    private readonly List<AwarenessLocalFrame> _local = [];
    private readonly List<(DeviceId To, AwarenessFrame Frame)> _raised = [];

    public AwarenessHubTests()
    {
        _hub = new AwarenessHub(_time);
        _hub.LocalFrames += _local.Add;
        _hub.PeerFrames += _raised.AddRange;
    }

    internal static byte[] Update(params (ulong Id, ulong Clock, string Json)[] entries) =>
        AwarenessUpdate.Encode(entries.Select(e => new AwarenessEntry(e.Id, e.Clock, e.Json)).ToList());

    internal static AwarenessFrame Frame(string docId, params (ulong Id, ulong Clock, string Json)[] entries) =>
        new() { DocId = docId, Update = ByteString.CopyFrom(Update(entries)) };

    internal static IReadOnlyList<AwarenessEntry> Entries(AwarenessFrame frame) => AwarenessUpdate.Decode(frame.Update.Span);

    [Fact]
    public void LocalUpdate_GoesToEveryPeerAndTheOtherLocalClients_NotBackToItsSender()
    {
        var client = new object();
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);

        _hub.OnLocalUpdate(Doc, client, Update((5, 1, "{\"user\":{\"name\":\"ann\"}}")));

        Assert.Equal(2, _raised.Count);
        Assert.Equal(new HashSet<DeviceId> { PeerA, PeerB }, _raised.Select(f => f.To).ToHashSet());
        Assert.All(_raised, f => Assert.Equal("{\"user\":{\"name\":\"ann\"}}", Assert.Single(Entries(f.Frame)).StateJson));
        var local = Assert.Single(_local);
        Assert.Same(client, local.Except);
        Assert.Equal(Doc, local.DocId);
        Assert.Equal(5UL, Assert.Single(_hub.States(Doc)).ClientId);
    }

    [Fact]
    public void PeerFrame_IsRelayedToOtherPeersAndLocalClients_NotBackToTheSender()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);

        var relayed = _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{\"a\":1}")));

        var (to, frame) = Assert.Single(relayed);
        Assert.Equal(PeerB, to);
        Assert.Equal(new AwarenessEntry(7, 3, "{\"a\":1}"), Assert.Single(Entries(frame)));
        Assert.Null(Assert.Single(_local).Except);
    }

    [Fact]
    public void OlderOrEqualClocks_AreDropped_NewerWin()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{\"v\":3}")));

        Assert.Empty(_hub.OnPeerFrame(PeerB, Frame(Doc, (7, 3, "{\"v\":\"same clock\"}"))));
        Assert.Empty(_hub.OnPeerFrame(PeerB, Frame(Doc, (7, 2, "{\"v\":2}"))));
        Assert.Equal("{\"v\":3}", Assert.Single(_hub.States(Doc)).StateJson);

        var newer = _hub.OnPeerFrame(PeerB, Frame(Doc, (7, 4, "{\"v\":4}")));
        Assert.Equal(PeerA, Assert.Single(newer).To);
        Assert.Equal(new AwarenessEntry(7, 4, "{\"v\":4}"), Assert.Single(_hub.States(Doc)));
    }

    [Fact]
    public void SameClockRemoval_IsBelievedOnlyFromTheStatesOrigin()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));

        // B lost its path to the client; A still has it, so the state stays.
        Assert.Empty(_hub.OnPeerFrame(PeerB, Frame(Doc, (7, 3, "null"))));
        Assert.Single(_hub.States(Doc));

        var removal = _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "null")));
        Assert.Empty(_hub.States(Doc));
        Assert.True(Assert.Single(Entries(Assert.Single(removal).Frame)).IsRemoval);
    }

    [Fact]
    public void PeerDisconnect_RemovesItsStatesAtOnce_AndTellsEveryoneElse()
    {
        var client = new object();
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerB);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{\"from\":\"a\"}")));
        _hub.OnLocalUpdate(Doc, client, Update((9, 0, "{\"from\":\"local\"}")));
        _local.Clear();

        var told = _hub.OnPeerDisconnected(PeerA);

        Assert.Equal([9UL], _hub.States(Doc).Select(s => s.ClientId));
        var (to, frame) = Assert.Single(told);
        Assert.Equal(PeerB, to);
        Assert.Equal(new AwarenessEntry(7, 3, "null"), Assert.Single(Entries(frame)));
        Assert.Equal(new AwarenessEntry(7, 3, "null"), Assert.Single(AwarenessUpdate.Decode(Assert.Single(_local).Update)));
        Assert.Equal([PeerB], _hub.ConnectedPeers);
    }

    [Fact]
    public void PeerWithTwoConnections_KeepsItsStatesUntilTheLastOneCloses()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));

        Assert.Empty(_hub.OnPeerDisconnected(PeerA));
        Assert.Single(_hub.States(Doc));

        _hub.OnPeerDisconnected(PeerA);
        Assert.Empty(_hub.States(Doc));
        Assert.Empty(_hub.OnPeerDisconnected(PeerA));
    }

    [Fact]
    public void ReconnectedPeer_SameClockCopyStaysRemoved_TheNextRenewalBringsItBack()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        _hub.OnPeerDisconnected(PeerA);

        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        Assert.Empty(_hub.States(Doc));

        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 4, "{}")));
        Assert.Equal(new AwarenessEntry(7, 4, "{}"), Assert.Single(_hub.States(Doc)));
    }

    [Fact]
    public void PeerConnecting_RenewsOwnStatesForEveryone_SoAPeerThatLostThemSeesThemAtOnce()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.SetOwnState(Doc, 42, "{\"me\":1}");

        var sent = _hub.OnPeerConnected(PeerB);

        Assert.Equal(new HashSet<DeviceId> { PeerA, PeerB }, sent.Select(f => f.To).ToHashSet());
        Assert.All(sent, f => Assert.Equal(new AwarenessEntry(42, 2, "{\"me\":1}"), Assert.Single(Entries(f.Frame))));
    }

    [Fact]
    public void LocalClientEcho_OfARemovedState_DoesNotBringItBack()
    {
        // y-websocket clients resend every change they apply; an echo must not revive a state.
        var client = new object();
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (7, 3, "{}")));
        _hub.OnPeerDisconnected(PeerA);

        _hub.OnLocalUpdate(Doc, client, Update((7, 3, "{}")));
        _hub.OnLocalUpdate(Doc, client, Update((7, 3, "null")));

        Assert.Empty(_hub.States(Doc));
    }

    [Fact]
    public void LocalClientClosing_RemovesItsStatesWithTheNextClock()
    {
        var client = new object();
        var other = new object();
        _hub.OnPeerConnected(PeerA);
        _hub.OnLocalUpdate(Doc, client, Update((5, 4, "{}")));
        _hub.OnLocalUpdate(Doc, other, Update((6, 0, "{}")));
        _raised.Clear();
        _local.Clear();

        _hub.OnLocalClosed(Doc, client);

        Assert.Equal([6UL], _hub.States(Doc).Select(s => s.ClientId));
        Assert.Equal(new AwarenessEntry(5, 5, "null"), Assert.Single(Entries(Assert.Single(_raised).Frame)));
        Assert.Same(client, Assert.Single(_local).Except);
    }

    [Fact]
    public void ConnectingPeer_GetsEveryLiveState_ButNotTheOnesItSentItself()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.OnPeerFrame(PeerA, Frame(Doc, (1, 0, "{\"a\":1}")));
        _hub.OnPeerFrame(PeerA, Frame("doc2", (2, 0, "{\"a\":2}")));
        _hub.OnLocalUpdate(Doc, new object(), Update((3, 0, "{\"l\":3}")));
        _hub.SetOwnState("doc2", 4, "{\"me\":true}");

        var sent = _hub.OnPeerConnected(PeerB);

        var byDoc = sent.Where(f => f.To.Equals(PeerB))
            .GroupBy(f => f.Frame.DocId)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => Entries(f.Frame)).Select(e => e.ClientId).Order().ToArray());
        Assert.Equal([1UL, 3UL], byDoc[Doc]);
        Assert.Equal([2UL, 4UL], byDoc["doc2"]);

        // A peer reconnecting on a second connection does not get its own states back.
        Assert.DoesNotContain(_hub.OnPeerConnected(PeerA).SelectMany(f => Entries(f.Frame)), e => e.ClientId is 1 or 2);
    }

    [Fact]
    public void OwnState_IsNeverOverridden_AClaimIsAnsweredWithAHigherClock()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.SetOwnState(Doc, 42, "{\"me\":1}");

        var answer = _hub.OnPeerFrame(PeerA, Frame(Doc, (42, 9, "null")));

        Assert.Equal(new AwarenessEntry(42, 10, "{\"me\":1}"), Assert.Single(_hub.States(Doc)));
        var (to, frame) = Assert.Single(answer);
        Assert.Equal(PeerA, to);
        Assert.Equal(new AwarenessEntry(42, 10, "{\"me\":1}"), Assert.Single(Entries(frame)));
    }

    [Fact]
    public void OwnState_SetAgainUnchanged_SendsNothing_RemovedSendsNextClock()
    {
        _hub.OnPeerConnected(PeerA);
        _hub.SetOwnState(Doc, 42, "{\"me\":1}");
        _hub.SetOwnState(Doc, 42, "{\"me\":1}");
        Assert.Single(_raised);

        _hub.SetOwnState(Doc, 42, null);

        Assert.Equal(new AwarenessEntry(42, 1, "{\"me\":1}"), Assert.Single(Entries(_raised[0].Frame)));
        Assert.Equal(new AwarenessEntry(42, 2, "null"), Assert.Single(Entries(_raised[^1].Frame)));
        Assert.Empty(_hub.States(Doc));
    }

    [Fact]
    public void FrameFromAPeerThatIsNotConnected_IsAHostBug()
    {
        Assert.Throws<InvalidOperationException>(() => _hub.OnPeerFrame(PeerA, Frame(Doc, (1, 0, "{}"))));
        Assert.Empty(_hub.States(Doc));
    }

    [Fact]
    public void DocumentsOpenOn_ListsTheDocumentsWhereADevicePublishesItsOwnState()
    {
        var device = AwarenessNetwork.DeviceOf(3, 0);
        var state = $"{{\"device\":{{\"id\":\"{device}\",\"name\":\"laptop\"}}}}";
        _hub.OnPeerConnected(device);
        _hub.OnPeerFrame(device, Frame("doc-b", (1, 0, state)));
        _hub.OnPeerFrame(device, Frame("doc-a", (1, 0, state), (2, 0, "{\"user\":{}}")));
        _hub.OnPeerFrame(device, Frame("doc-c", (3, 0, "{\"user\":{}}")));

        Assert.Equal(["doc-a", "doc-b"], _hub.DocumentsOpenOn(device));
        _hub.OnPeerDisconnected(device);
        Assert.Empty(_hub.DocumentsOpenOn(device));
    }
}
