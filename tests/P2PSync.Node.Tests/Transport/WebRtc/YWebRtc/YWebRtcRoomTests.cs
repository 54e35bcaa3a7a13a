using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.YWebRtc;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>
/// The room member's signalling rules (y-webrtc.js's, over the in-memory relay): who it answers,
/// what it ignores, what it counts as refused; then two of our nodes editing through one room.
/// </summary>
public sealed class YWebRtcRoomTests
{
    private const string Stranger = "5b1e7a3c-2d4f-4a6b-8c9d-0e1f2a3b4c5d";

    private static readonly PeerConnectionOptions Loopback = new() { BindAddresses = [IPAddress.Loopback], ConnectTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task AnnouncesOnStart_AndOffersToAPeerThatAnnounces()
    {
        var relay = new InMemorySignalHub();
        await using var side = new RoomDocument(1);
        await using var room = await StartRoomAsync(relay, side, "room-a", null, seed: 1);
        Assert.Equal(new AnnounceMessage(room.PeerId), RoomPayloadCodec.FromJson(PublishedObjects(relay)[0]));

        relay.Publish("room-a", Element(RoomPayloadCodec.ToJson(new AnnounceMessage(Stranger))));

        var offer = await WaitForSignalAsync(relay, s => s.Signal is SessionDescriptionSignal { IsOffer: true });
        Assert.Equal(room.PeerId, offer.From);
        Assert.Equal(Stranger, offer.To);
        Assert.NotNull(offer.Token);
        Assert.Contains("m=application", ((SessionDescriptionSignal)offer.Signal).Sdp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnPayloads_OthersSignals_OtherTopicsAndGarbageStartNothing()
    {
        var relay = new InMemorySignalHub();
        await using var side = new RoomDocument(1);
        await using var room = await StartRoomAsync(relay, side, "room-b", null, seed: 2);

        relay.Publish("room-b", Element(RoomPayloadCodec.ToJson(new AnnounceMessage(room.PeerId))));
        relay.Publish("room-b", Element(RoomPayloadCodec.ToJson(new PeerSignalMessage(Stranger, "someone-else", 1, new SessionDescriptionSignal(true, "v=0\r\n")))));
        relay.Publish("another-room", Element(RoomPayloadCodec.ToJson(new AnnounceMessage(Stranger))));
        relay.Publish("room-b", Parse("{\"type\":\"announce\"}"));
        relay.Publish("room-b", Parse("\"sealed for some other room\""));

        await Eventually.HoldsAsync(() => room.RefusedPayloads == 2, TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        Assert.DoesNotContain(Signals(relay), s => s.From == room.PeerId);
        Assert.Empty(room.ConnectedPeers);
    }

    [Fact]
    public async Task ASealedRoomPublishesOnlyCiphertext_AndCountsWhatItCannotOpen()
    {
        var relay = new InMemorySignalHub();
        await using var side = new RoomDocument(1);
        await using var room = await StartRoomAsync(relay, side, "room-c", "pw", seed: 3);
        using var key = RoomKey.Derive("pw", "room-c");
        using var otherKey = RoomKey.Derive("not pw", "room-c");

        var announce = Assert.Single(relay.Published);
        Assert.Equal(JsonValueKind.String, announce.Data.ValueKind);
        Assert.Equal(new AnnounceMessage(room.PeerId), RoomPayloadCodec.Decode(announce.Data, key));

        relay.Publish("room-c", Element(RoomPayloadCodec.ToJson(new AnnounceMessage(Stranger))));
        relay.Publish("room-c", Element(RoomPayloadCodec.Encode(new AnnounceMessage(Stranger), otherKey)));
        await Eventually.HoldsAsync(() => room.RefusedPayloads == 2, TimeSpan.FromSeconds(5));

        relay.Publish("room-c", Element(RoomPayloadCodec.Encode(new AnnounceMessage(Stranger), key)));
        var offer = await WaitForSignalAsync(relay, s => s.Signal is SessionDescriptionSignal { IsOffer: true }, key);
        Assert.Equal(Stranger, offer.To);
    }

    [Fact]
    public async Task CrossedOffers_TheLargerTokenWins()
    {
        var relay = new InMemorySignalHub();
        await using var side = new RoomDocument(1);
        await using var room = await StartRoomAsync(relay, side, "room-d", null, seed: 4);
        relay.Publish("room-d", Element(RoomPayloadCodec.ToJson(new AnnounceMessage(Stranger))));
        var ours = await WaitForSignalAsync(relay, s => s.Signal is SessionDescriptionSignal { IsOffer: true });

        // Their offer with a smaller token loses: we neither answer nor drop ours.
        relay.Publish("room-d", Element(RoomPayloadCodec.ToJson(new PeerSignalMessage(Stranger, room.PeerId, ours.Token!.Value - 1000, new SessionDescriptionSignal(true, ForeignOffer())))));
        await Task.Delay(300);
        Assert.DoesNotContain(Signals(relay), s => s.Signal is SessionDescriptionSignal { IsOffer: false });

        // A larger token wins: we answer it.
        relay.Publish("room-d", Element(RoomPayloadCodec.ToJson(new PeerSignalMessage(Stranger, room.PeerId, ours.Token!.Value + 1000, new SessionDescriptionSignal(true, ForeignOffer())))));
        var answer = await WaitForSignalAsync(relay, s => s.Signal is SessionDescriptionSignal { IsOffer: false });
        Assert.Equal(Stranger, answer.To);
    }

    [Fact]
    public async Task CandidatesWithoutAnOfferOpenNothing_AndWaitForTheirOffer()
    {
        var relay = new InMemorySignalHub();
        await using var side = new RoomDocument(1);
        await using var room = await StartRoomAsync(relay, side, "room-e", null, seed: 7);
        for (var i = 0; i < 200; i++)
        {
            var candidate = new CandidateSignal($"candidate:{i} 1 udp 2122260223 127.0.0.1 {20000 + i} typ host", 0, "0");
            relay.Publish("room-e", Element(RoomPayloadCodec.ToJson(new PeerSignalMessage($"stranger-{i % 100}", room.PeerId, 1, candidate))));
        }

        relay.Publish("room-e", Element(RoomPayloadCodec.ToJson(new PeerSignalMessage("stranger-3", room.PeerId, 1, new SessionDescriptionSignal(false, "v=0\r\n")))));
        await Task.Delay(300);
        Assert.DoesNotContain(Signals(relay), s => s.From == room.PeerId);
        Assert.Equal(0, room.RefusedPayloads);

        relay.Publish("room-e", Element(RoomPayloadCodec.ToJson(new PeerSignalMessage("stranger-3", room.PeerId, 1, new SessionDescriptionSignal(true, ForeignOffer())))));
        var answer = await WaitForSignalAsync(relay, s => s.From == room.PeerId && s.Signal is SessionDescriptionSignal { IsOffer: false });
        Assert.Equal("stranger-3", answer.To);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("shared secret")]
    public async Task TwoNodesInOneRoomEditTogether(string? password)
    {
        var relay = new InMemorySignalHub();
        await using var left = new RoomDocument(1);
        await using var right = new RoomDocument(2);
        left.Append("left first; ");
        await using var leftRoom = await StartRoomAsync(relay, left, "pair", password, seed: 5);
        await using var rightRoom = await StartRoomAsync(relay, right, "pair", password, seed: 6);

        await Eventually.HoldsAsync(() => leftRoom.ConnectedPeers.Contains(rightRoom.PeerId) && rightRoom.ConnectedPeers.Contains(leftRoom.PeerId), TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(() => right.Text == "left first; ", TimeSpan.FromSeconds(10));

        right.Append("right; ");
        left.Append("left again");
        await Eventually.HoldsAsync(() => left.Text == right.Text && left.Text.Contains("right; ", StringComparison.Ordinal) && left.Text.Contains("left again", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    private static async Task<YWebRtcRoom> StartRoomAsync(InMemorySignalHub relay, RoomDocument side, string name, string? password, int seed)
    {
        var room = new YWebRtcRoom(
            new YWebRtcRoomOptions { DocId = side.DocId, RoomName = name, Password = password, PeerConnection = Loopback },
            side.Hub,
            side.Awareness,
            relay.Join(),
            TimeProvider.System,
            new Random(seed),
            NullLogger.Instance);
        await room.StartAsync(CancellationToken.None);
        return room;
    }

    /// <summary>A real offer from another of our peer connections (its SDP is all the room needs to answer).</summary>
    private static string ForeignOffer()
    {
        var other = new PeerConnection(Loopback, TimeProvider.System, new Random(99));
        other.CreateDataChannel("x");
        var offer = other.CreateOffer();
        _ = other.DisposeAsync().AsTask();
        return offer;
    }

    private static async Task<PeerSignalMessage> WaitForSignalAsync(InMemorySignalHub relay, Func<PeerSignalMessage, bool> match, RoomKey? key = null)
    {
        PeerSignalMessage? found = null;
        await Eventually.HoldsAsync(() => (found = Signals(relay, key).FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(10));
        return found!;
    }

    private static IEnumerable<PeerSignalMessage> Signals(InMemorySignalHub relay, RoomKey? key = null) =>
        relay.Published
            .Select(p => Decode(p.Data, key))
            .OfType<PeerSignalMessage>();

    private static RoomMessage? Decode(JsonElement data, RoomKey? key)
    {
        try
        {
            return RoomPayloadCodec.Decode(data, key);
        }
        catch (YWebRtcFormatException)
        {
            return null;
        }
    }

    private static List<JsonObject> PublishedObjects(InMemorySignalHub relay) =>
        [.. relay.Published.Where(p => p.Data.ValueKind == JsonValueKind.Object).Select(p => JsonObject.Create(p.Data)!)];

    private static JsonElement Element(JsonNode node) => Parse(node.ToJsonString());

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
