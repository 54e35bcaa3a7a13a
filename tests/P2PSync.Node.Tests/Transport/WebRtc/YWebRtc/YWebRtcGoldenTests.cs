using System.Text;
using System.Text.Json.Nodes;
using P2PSync.Node.Transport.WebRtc.YWebRtc;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>Our room crypto and lib0 encoding against y-webrtc's own (values in <see cref="YWebRtcGoldenData"/>).</summary>
public sealed class YWebRtcGoldenTests
{
    private const string AnnouncePeer = "2f1b0c4e-8d7a-4c3b-9e21-5a6f7b8c9d0e";

    private static readonly PeerSignalMessage Offer =
        new("a", "b", 1763812345678.9146, new SessionDescriptionSignal(true, "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"));

    private static readonly PeerSignalMessage Candidate =
        new("a", "b", 1763812345678.25, new CandidateSignal("candidate:1 1 udp 2122260223 10.78.1.1 50000 typ host", 0, "0"));

    public static TheoryData<string, string, string> Keys => new()
    {
        { "key.simple", "secret", "room-1" },
        { "key.unicode", "pässwörd 🔑", "räum ☃" },
        { "key.empty-room", "p", "" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void DerivedKeyEqualsWebCryptos(string name, string password, string room)
    {
        using var key = RoomKey.Derive(password, room);
        Assert.Equal(Golden(name), Convert.ToHexStringLower(key.KeyMaterial));
    }

    [Theory]
    [InlineData("any.announce")]
    [InlineData("any.offer")]
    [InlineData("any.candidate")]
    [InlineData("any.numbers")]
    public void WriteAnyMatchesLib0AndReadsBack(string name)
    {
        var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Golden(name + ".json"))));
        Assert.Equal(Golden(name), Convert.ToHexStringLower(Lib0JsonAny.Encode(json)));
        Assert.True(JsonNode.DeepEquals(json, Lib0JsonAny.Decode(Convert.FromHexString(Golden(name)))));
    }

    [Fact]
    public void MessagesAreTheObjectsYWebRtcPublishes()
    {
        Assert.True(JsonNode.DeepEquals(GoldenJson("any.announce"), RoomPayloadCodec.ToJson(new AnnounceMessage(AnnouncePeer))));
        Assert.True(JsonNode.DeepEquals(GoldenJson("any.offer"), RoomPayloadCodec.ToJson(Offer)));
        Assert.True(JsonNode.DeepEquals(GoldenJson("any.candidate"), RoomPayloadCodec.ToJson(Candidate)));
        Assert.Equal(Golden("any.offer"), Convert.ToHexStringLower(Lib0JsonAny.Encode(RoomPayloadCodec.ToJson(Offer))));
    }

    [Theory]
    [InlineData("key.simple", "secret", "room-1", 1)]
    [InlineData("key.unicode", "pässwörd 🔑", "räum ☃", 3)]
    [InlineData("key.empty-room", "p", "", 5)]
    public void SealedPayloadsAreByteIdenticalForThePinnedIv(string keyName, string password, string room, int seed)
    {
        using var key = RoomKey.Derive(password, room);
        var announce = new AnnounceMessage(AnnouncePeer);
        var announceName = $"sealed.{keyName}.any.announce.iv{seed}";
        var offerName = $"sealed.{keyName}.any.offer.iv{seed + 1}";

        Assert.Equal(Golden(announceName), RoomPayloadCodec.EncodeSealed(announce, key, IvOf(seed)));
        Assert.Equal(Golden(offerName), RoomPayloadCodec.EncodeSealed(Offer, key, IvOf(seed + 1)));
        Assert.Equal(announce, RoomPayloadCodec.DecodeSealed(Golden(announceName), key));
        Assert.Equal(Offer, RoomPayloadCodec.DecodeSealed(Golden(offerName), key));
    }

    [Fact]
    public void PayloadSealedByYWebRtcWithARandomIvOpens()
    {
        using var key = RoomKey.Derive("secret", "room-1");
        Assert.Equal(Candidate, RoomPayloadCodec.DecodeSealed(Golden("sealed.random-iv.key.simple.any.candidate"), key));
    }

    [Fact]
    public void AnotherPasswordIsRefusedAsUndecryptable()
    {
        using var key = RoomKey.Derive("not the secret", "room-1");
        var refused = Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.DecodeSealed(Golden("sealed.random-iv.key.simple.any.candidate"), key));
        Assert.Equal(YWebRtcFormatProblem.Undecryptable, refused.Problem);
    }

    [Fact]
    public void TheSameRoomNameWithAnotherPasswordCannotReadIt()
    {
        using var key = RoomKey.Derive("secret", "room-2");
        Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.DecodeSealed(Golden("sealed.key.simple.any.announce.iv1"), key));
    }

    /// <summary>The IV the golden script pins for <paramref name="seed"/>: byte i = (seed * 31 + i * 7) mod 256.</summary>
    private static byte[] IvOf(int seed) => [.. Enumerable.Range(0, RoomKey.IvBytes).Select(i => (byte)((seed * 31 + i * 7) & 0xFF))];

    private static JsonNode? GoldenJson(string name) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Golden(name + ".json"))));

    private static string Golden(string name) => YWebRtcGoldenData.Values[name];
}
