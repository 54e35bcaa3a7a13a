using Google.Protobuf;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;
using P2PSync.Simulation.Tests.Support;

namespace P2PSync.Simulation.Tests.Sync;

public sealed class SyncCoordinatorTests
{
    [Fact]
    public void Changes_from_one_peer_are_relayed_to_the_others_but_not_back()
    {
        var source = new MemoryDocumentSource(new Random(1));
        var coordinator = new SyncCoordinator<int>(source, "hub");
        var random = new Random(2);
        var peer0 = SessionPair.NewDevice(random);
        var peer1 = SessionPair.NewDevice(random);
        coordinator.Connect(0, peer0);
        coordinator.Connect(1, peer1);
        coordinator.Receive(0, Hello());
        coordinator.Receive(1, Hello());

        // Peer 0 announces a new document: peer 1 hears of it (announce + step1), peer 0 only gets our step1.
        var author = new MemoryDocumentSource(new Random(3));
        var doc = author.Create("shared", 5, peer0);
        var announced = coordinator.Receive(0, new Envelope { Doc = new DocAnnounce { DocId = doc.Id, Name = "shared", CreatedMs = 5, NameChangedMs = 5, NameChangedBy = doc.NameStamp.ChangedBy } });
        Assert.Equal([0, 1, 1], announced.Select(o => o.Connection));
        Assert.Equal(Envelope.BodyOneofCase.Sync, announced[0].Envelope.BodyCase);
        Assert.Equal("shared", announced[1].Envelope.Doc.Name);

        // An update from peer 0 goes to peer 1 only; the same update again changes nothing and goes nowhere.
        var update = author.Edit(doc.Id, d => d.GetText("text").Insert(0, "hi"))!;
        var relayed = coordinator.Receive(0, Frame(doc.Id, SyncMessage.Update(update)));
        var only = Assert.Single(relayed);
        Assert.Equal(1, only.Connection);
        Assert.Equal(SyncMessageType.Update, SyncMessage.Decode(only.Envelope.Sync.Payload.Span).Type);
        Assert.Empty(coordinator.Receive(1, Frame(doc.Id, SyncMessage.Update(update))));
        Assert.Equal("hi", source.Doc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void A_protocol_error_on_one_connection_leaves_the_others_working()
    {
        var source = new MemoryDocumentSource(new Random(1));
        var coordinator = new SyncCoordinator<int>(source, "hub");
        var random = new Random(2);
        coordinator.Connect(0, SessionPair.NewDevice(random));
        coordinator.Connect(1, SessionPair.NewDevice(random));
        coordinator.Receive(1, Hello());

        Assert.Throws<SyncProtocolException>(() => coordinator.Receive(0, Frame("doc", SyncMessage.Step1([0]))));
        Assert.True(coordinator.Disconnect(0));
        Assert.Equal([1], coordinator.Connections);

        var pong = Assert.Single(coordinator.Receive(1, new Envelope { Ping = new Ping { Nonce = 3 } }));
        Assert.Equal(3UL, pong.Envelope.Pong.Nonce);
        var created = source.Create("local", 9, SessionPair.NewDevice(random));
        Assert.All(coordinator.LocalDocumentChanged(created), o => Assert.Equal(1, o.Connection));
    }

    private static Envelope Hello() => new() { Hello = new Hello { DeviceName = "peer", ProtocolVersion = 1 } };

    private static Envelope Frame(string docId, SyncMessage message) =>
        new() { Sync = new SyncFrame { DocId = docId, Payload = ByteString.CopyFrom(message.Encode()) } };
}
