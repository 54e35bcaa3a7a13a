using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Transport.WebRtc.YWebRtc;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>y-webrtc's data channel protocol against the live document, without a network.</summary>
public sealed class RoomPeerSyncTests : IAsyncLifetime
{
    private readonly RoomDocument _side = new(1);
    private RoomPeerSync _sync = null!;

    public Task InitializeAsync()
    {
        _sync = new RoomPeerSync(_side.DocId, _side.Hub, _side.Awareness, "0d9f2a5c-0000-4000-8000-000000000001");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _side.DisposeAsync();

    [Fact]
    public void GreetingIsStepOneWithOurStateVector_ThenAwarenessWhenThereIsAny()
    {
        _side.Append("hello");
        var greeting = _sync.Greeting();
        var step1 = Assert.Single(greeting);
        var message = YWebsocketMessage.Decode(step1);
        Assert.Equal(SyncMessageType.SyncStep1, message.Sync!.Type);
        Assert.Equal(_side.Hub.Read(_side.DocId, Y.EncodeStateVector), message.Sync.Payload);

        _side.Awareness.SetOwnState(_side.DocId, 77, "{\"user\":\"node\"}");
        Assert.Equal(2, _sync.Greeting().Count);
        Assert.Equal(YWebsocketMessageType.Awareness, YWebsocketMessage.Decode(_sync.Greeting()[1]).Type);
    }

    [Fact]
    public void StepOneIsAnsweredWithWhatThePeerLacks()
    {
        _side.Append("from the node");
        var empty = new Doc();
        var reply = Assert.Single(_sync.Handle(YWebsocketMessage.ForSync(SyncMessage.Step1(Y.EncodeStateVector(empty))).Encode()));
        var step2 = YWebsocketMessage.Decode(reply).Sync!;
        Assert.Equal(SyncMessageType.SyncStep2, step2.Type);
        Y.ApplyUpdate(empty, step2.Payload);
        Assert.Equal("from the node", empty.GetText("text").ToString());
    }

    [Fact]
    public void UpdatesAndStepTwoReachTheDocument_NamingThisPeerAsTheSource()
    {
        object? source = null;
        _side.Hub.Updated += u => source = u.Source;
        var browser = new Doc(new DocOptions { ClientId = 42 });
        var updates = new List<byte[]>();
        browser.Update += (_, e) => updates.Add(e.Update);
        browser.GetText("text").Insert(0, "browser");

        Assert.Empty(_sync.Handle(YWebsocketMessage.ForSync(SyncMessage.Update(updates[0])).Encode()));
        Assert.Equal("browser", _side.Text);
        Assert.Same(_sync, source);

        browser.GetText("text").Insert(7, "!");
        Assert.Empty(_sync.Handle(YWebsocketMessage.ForSync(SyncMessage.Step2(Y.EncodeStateAsUpdate(browser))).Encode()));
        Assert.Equal("browser!", _side.Text);
    }

    [Fact]
    public void AwarenessGoesIntoTheHub_QueryGetsItBack_LeaveRemovesIt()
    {
        var update = AwarenessUpdate.Encode([new AwarenessEntry(9, 1, "{\"cursor\":3}")]);
        Assert.Empty(_sync.Handle(YWebsocketMessage.ForAwareness(update).Encode()));
        Assert.Contains(_side.Awareness.States(_side.DocId), e => e.ClientId == 9);

        var reply = YWebsocketMessage.Decode(Assert.Single(_sync.Handle(YWebsocketMessage.QueryAwareness().Encode())));
        Assert.Contains(AwarenessUpdate.Decode(reply.Awareness), e => e.ClientId == 9 && e.StateJson == "{\"cursor\":3}");

        _sync.Leave();
        Assert.DoesNotContain(_side.Awareness.States(_side.DocId), e => e.ClientId == 9 && !e.IsRemoval);
    }

    [Fact]
    public void QueryWithNoAwarenessAnswersAnEmptyUpdate()
    {
        var reply = YWebsocketMessage.Decode(Assert.Single(_sync.Handle(YWebsocketMessage.QueryAwareness().Encode())));
        Assert.Empty(AwarenessUpdate.Decode(reply.Awareness));
    }

    [Theory]
    [InlineData("")]
    [InlineData("04")]
    [InlineData("0200")]
    [InlineData("0005")]
    [InlineData("00020301ff")]
    [InlineData("0001ff")]
    [InlineData("000203ffffff")]
    public void WhatYWebRtcNeverSendsIsRefusedWithTheProtocolError(string hex)
    {
        // empty, BroadcastChannel-only peer id (4), auth (2), unknown sync type, truncated update, truncated step 2, an update the CRDT refuses
        Assert.Throws<YProtocolFormatException>(() => _sync.Handle(Convert.FromHexString(hex)));
        Assert.Equal("", _side.Text);
    }
}
