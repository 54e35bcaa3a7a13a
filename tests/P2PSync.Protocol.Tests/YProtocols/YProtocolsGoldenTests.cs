using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Protocol.YProtocols;
using static P2PSync.Protocol.Tests.YProtocols.YProtocolsGoldenData;

namespace P2PSync.Protocol.Tests.YProtocols;

/// <summary>
/// Our codecs against bytes written by the real y-protocols: decoding reads them, encoding
/// reproduces them byte for byte, and the sync messages our CRDT produces for the same document
/// equal those yjs produced (so a y-websocket client and a node agree on every byte).
/// </summary>
public sealed class YProtocolsGoldenTests
{
    [Theory]
    [InlineData("sync:step1:empty", SyncMessageType.SyncStep1)]
    [InlineData("sync:step1:doc", SyncMessageType.SyncStep1)]
    [InlineData("sync:step2:full", SyncMessageType.SyncStep2)]
    [InlineData("sync:step2:diff", SyncMessageType.SyncStep2)]
    [InlineData("sync:step2:empty", SyncMessageType.SyncStep2)]
    [InlineData("sync:update", SyncMessageType.Update)]
    [InlineData("sync:reply-to-empty-step1", SyncMessageType.SyncStep2)]
    public void SyncMessages_round_trip_byte_identical(string name, SyncMessageType type)
    {
        var bytes = Bytes(name);
        var message = SyncMessage.Decode(bytes);
        Assert.Equal(type, message.Type);
        Assert.Equal(bytes, message.Encode());
    }

    [Fact]
    public void Payloads_are_the_yjs_state_vectors_and_updates()
    {
        Assert.Equal(Bytes("doc:sv"), SyncMessage.Decode(Bytes("sync:step1:doc")).Payload);
        Assert.Equal(Bytes("doc:update"), SyncMessage.Decode(Bytes("sync:step2:full")).Payload);
        Assert.Equal(SyncMessage.Decode(Bytes("sync:step2:diff")).Payload, SyncMessage.Decode(Bytes("sync:update")).Payload);
    }

    [Fact]
    public void Our_crdt_produces_the_same_sync_messages_as_yjs()
    {
        var (doc, partialSv) = BuildGoldenDoc();
        Assert.Equal(Bytes("doc:partialSv"), partialSv);
        Assert.Equal(Bytes("sync:step1:doc"), SyncMessage.Step1(Y.EncodeStateVector(doc)).Encode());
        Assert.Equal(Bytes("sync:step2:full"), SyncMessage.Step2(Y.EncodeStateAsUpdate(doc)).Encode());
        Assert.Equal(Bytes("sync:step2:diff"), SyncMessage.Step2(Y.EncodeStateAsUpdate(doc, partialSv)).Encode());
        Assert.Equal(Bytes("sync:update"), SyncMessage.Update(Y.EncodeStateAsUpdate(doc, partialSv)).Encode());

        // Answering an empty doc's SyncStep1 the way readSyncMessage does.
        var step1 = SyncMessage.Decode(Bytes("sync:step1:empty"));
        Assert.Equal(Bytes("sync:reply-to-empty-step1"), SyncMessage.Step2(Y.EncodeStateAsUpdate(doc, step1.Payload)).Encode());
        Assert.Equal(Bytes("sync:step2:empty"), SyncMessage.Step2(Y.EncodeStateAsUpdate(new Doc(new DocOptions { ClientId = 3 }))).Encode());
    }

    [Fact]
    public void YWebsocket_sync_messages_round_trip()
    {
        foreach (var name in new[] { "ws:sync:step1:doc", "ws:sync:update" })
        {
            var bytes = Bytes(name);
            var message = YWebsocketMessage.Decode(bytes);
            Assert.Equal(YWebsocketMessageType.Sync, message.Type);
            Assert.NotNull(message.Sync);
            Assert.Equal(bytes, message.Encode());
        }

        var (doc, _) = BuildGoldenDoc();
        Assert.Equal(
            Bytes("ws:sync:step1:doc"),
            YWebsocketMessage.ForSync(SyncMessage.Step1(Y.EncodeStateVector(doc))).Encode());
    }

    [Fact]
    public void YWebsocket_query_awareness_and_auth_round_trip()
    {
        Assert.Equal(YWebsocketMessageType.QueryAwareness, YWebsocketMessage.Decode(Bytes("ws:queryAwareness")).Type);
        Assert.Equal(Bytes("ws:queryAwareness"), YWebsocketMessage.QueryAwareness().Encode());

        var denied = YWebsocketMessage.Decode(Bytes("ws:auth:denied"));
        Assert.Equal(YWebsocketMessageType.Auth, denied.Type);
        Assert.Equal("no access to this room", denied.DeniedReason);
        Assert.Equal(Bytes("ws:auth:denied"), YWebsocketMessage.PermissionDenied("no access to this room").Encode());
    }

    [Fact]
    public void Awareness_update_decodes_and_reencodes_identically()
    {
        var entries = AwarenessUpdate.Decode(Bytes("awareness:update"));
        Assert.Equal(3, entries.Count);
        Assert.Equal(new AwarenessEntry(1, 1, """{"user":{"name":"Ada","color":"#ff0000"},"cursor":{"anchor":3,"head":5}}"""), entries[0]);
        Assert.Equal(new AwarenessEntry(77, 4, """{"user":{"name":"Zoë ✓"}}"""), entries[1]);
        Assert.Equal(1234567UL, entries[2].ClientId);
        Assert.True(entries[2].IsRemoval);
        Assert.Equal(Bytes("awareness:update"), AwarenessUpdate.Encode(entries));

        var outer = YWebsocketMessage.Decode(Bytes("ws:awareness"));
        Assert.Equal(YWebsocketMessageType.Awareness, outer.Type);
        Assert.Equal(Bytes("awareness:update"), outer.Awareness);
        Assert.Equal(Bytes("ws:awareness"), YWebsocketMessage.ForAwareness(Bytes("awareness:update")).Encode());
    }

    // The same steps as yprotocols-golden.mjs.
    private static (Doc Doc, byte[] PartialSv) BuildGoldenDoc()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.GetText("text").Insert(0, "hello");
        var peer = new Doc(new DocOptions { ClientId = 2 });
        Y.ApplyUpdate(peer, Y.EncodeStateAsUpdate(doc));
        var partialSv = Y.EncodeStateVector(peer);
        peer.GetText("text").Insert(5, " world");
        peer.GetText("text").Delete(0, 1);
        peer.GetMap("meta").Set("title", "Greeting");
        Y.ApplyUpdate(doc, Y.EncodeStateAsUpdate(peer));
        return (doc, partialSv);
    }
}
