using Google.Protobuf;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Wire;
using P2PSync.Simulation.Tests.Support;

namespace P2PSync.Simulation.Tests.Sync;

public sealed class SyncCoordinatorTests : IDisposable
{
    private readonly SpaceWorld _world = new(3, "hub", "ann", "bob", "eve");

    private SimDevice Hub => _world[0];

    private SimDevice Ann => _world[1];

    private SimDevice Bob => _world[2];

    private SimDevice Eve => _world[3];

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Records_from_one_peer_are_relayed_to_the_members_but_not_back_nor_to_outsiders()
    {
        var space = _world.NewSpace(Hub, "team", (Ann, SpaceRole.Editor), (Bob, SpaceRole.Viewer));
        var coordinator = new SyncCoordinator<int>(Hub.Source, Hub.Spaces, "hub");
        coordinator.Connect(0, Ann.Id);
        coordinator.Connect(1, Bob.Id);
        coordinator.Connect(2, Eve.Id);
        foreach (var connection in new[] { 0, 1, 2 })
        {
            coordinator.Receive(connection, Hello());
        }

        // Ann announces a new document: Bob hears of it (announce + vector), Eve nothing, Ann gets our vector.
        var doc = Ann.Source.Create("shared", 5, space);
        var announced = coordinator.Receive(0, Announce(doc.Id, space));
        Assert.Equal([0, 1, 1], announced.Select(o => o.Connection));
        Assert.Equal(Envelope.BodyOneofCase.RecordVector, announced[0].Envelope.BodyCase);
        Assert.Equal("shared", announced[1].Envelope.Doc.Name);

        // Ann's record goes to Bob only, byte for byte; the same record again goes nowhere.
        var record = Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "hi"))!;
        var relayed = coordinator.Receive(0, RecordsOf(doc.Id, record));
        var only = Assert.Single(relayed);
        Assert.Equal(1, only.Connection);
        Assert.False(only.Envelope.Records.CatchUp);
        Assert.Equal(record, only.Envelope.Records.Records_[0].ToByteArray());
        Assert.Empty(coordinator.Receive(1, RecordsOf(doc.Id, record)));
        Assert.Equal("hi", Hub.Source.Doc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void A_space_changed_by_one_peer_is_described_to_the_other_members()
    {
        var space = _world.NewSpace(Hub, "team", (Ann, SpaceRole.Owner), (Bob, SpaceRole.Editor));
        var coordinator = new SyncCoordinator<int>(Hub.Source, Hub.Spaces, "hub");
        coordinator.Connect(0, Ann.Id);
        coordinator.Connect(1, Bob.Id);
        coordinator.Connect(2, Eve.Id);
        foreach (var connection in new[] { 0, 1, 2 })
        {
            coordinator.Receive(connection, Hello());
        }

        // Ann (an owner) adds Eve; her new state reaches the hub, which tells Bob and introduces the space to Eve.
        Ann.Spaces.AddMember(space, Eve.Id, SpaceRole.Viewer);
        var output = coordinator.Receive(0, new Envelope { Space = Ann.Spaces.DescribeFor(space, Hub.Id) }, out var refusals);

        Assert.Empty(refusals);
        Assert.Equal([1, 2], output.Select(o => o.Connection));
        Assert.All(output, o => Assert.Equal(Envelope.BodyOneofCase.Space, o.Envelope.BodyCase));
        Assert.Equal(SpaceRole.Viewer, Hub.Spaces.Directory.RoleOf(space, Eve.Id));

        // The same state again changes nothing and goes nowhere.
        Assert.Empty(coordinator.Receive(0, new Envelope { Space = Ann.Spaces.DescribeFor(space, Hub.Id) }));
    }

    [Fact]
    public void Local_records_and_space_changes_go_to_every_member()
    {
        var space = _world.NewSpace(Hub, "team", (Ann, SpaceRole.Editor));
        var doc = Hub.Source.Create("doc", 1, space);
        var coordinator = new SyncCoordinator<int>(Hub.Source, Hub.Spaces, "hub");
        coordinator.Connect(0, Ann.Id);
        coordinator.Connect(1, Bob.Id);

        var record = Hub.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "x"))!;
        var sent = Assert.Single(coordinator.LocalRecords(doc.Id, [record]));
        Assert.Equal(0, sent.Connection);

        Hub.Spaces.AddMember(space, Bob.Id, SpaceRole.Editor);
        var told = coordinator.LocalSpaceChanged(space);
        Assert.Equal([0, 1, 1, 1], told.Select(o => o.Connection));
        Assert.Equal(Envelope.BodyOneofCase.Doc, told[2].Envelope.BodyCase);
    }

    [Fact]
    public void A_protocol_error_on_one_connection_leaves_the_others_working()
    {
        var space = _world.NewSpace(Hub, "team", (Bob, SpaceRole.Editor));
        var coordinator = new SyncCoordinator<int>(Hub.Source, Hub.Spaces, "hub");
        coordinator.Connect(0, Ann.Id);
        coordinator.Connect(1, Bob.Id);
        coordinator.Receive(1, Hello());

        Assert.Throws<SyncProtocolException>(() => coordinator.Receive(0, RecordsOf("doc", [1, 2, 3])));
        Assert.True(coordinator.Disconnect(0));
        Assert.Equal([1], coordinator.Connections);

        var pong = Assert.Single(coordinator.Receive(1, new Envelope { Ping = new Ping { Nonce = 3 } }));
        Assert.Equal(3UL, pong.Envelope.Pong.Nonce);
        var created = Hub.Source.Create("local", 9, space);
        Assert.All(coordinator.LocalDocumentChanged(created), o => Assert.Equal(1, o.Connection));
    }

    private static Envelope Hello() => new() { Hello = new Hello { DeviceName = "peer", ProtocolVersion = SyncProtocolVersion.Current } };

    private static Envelope Announce(string docId, SpaceId space) => new()
    {
        Doc = new DocAnnounce { DocId = docId, Name = "shared", CreatedMs = 5, NameChangedMs = 5, SpaceId = ByteString.CopyFrom(space.Bytes) },
    };

    private static Envelope RecordsOf(string docId, byte[] record) =>
        new() { Records = new Records { DocId = docId, Records_ = { ByteString.CopyFrom(record) } } };
}
