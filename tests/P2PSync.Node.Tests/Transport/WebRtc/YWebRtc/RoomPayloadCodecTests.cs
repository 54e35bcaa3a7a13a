using System.Text.Json;
using System.Text.Json.Nodes;
using P2PSync.Node.Transport.WebRtc.YWebRtc;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

public sealed class RoomPayloadCodecTests(ITestOutputHelper output)
{
    private const int Seed = 8839;

    private static readonly RoomMessage[] Samples =
    [
        new AnnounceMessage("peer-1"),
        new PeerSignalMessage("a", "b", 1763812345678.5, new SessionDescriptionSignal(true, "v=0\r\n")),
        new PeerSignalMessage("a", "b", 17.25, new SessionDescriptionSignal(false, "v=0\r\na=x\r\n")),
        new PeerSignalMessage("a", "b", null, new CandidateSignal("candidate:1 1 udp 1 10.0.0.1 9 typ host", 0, "0")),
        new PeerSignalMessage("a", "b", 3, new CandidateSignal("candidate:2 1 udp 1 10.0.0.2 9 typ host", null, null)),
        new PeerSignalMessage("a", "b", 4, new RenegotiationSignal("renegotiate")),
    ];

    private static readonly RoomKey Key = RoomKey.Derive("pw", "room");

    public static TheoryData<int> SampleIndexes => [.. Enumerable.Range(0, Samples.Length)];

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void PlainAndSealedRoundTrip(int index)
    {
        var message = Samples[index];
        Assert.Equal(message, RoomPayloadCodec.Decode(Element(RoomPayloadCodec.Encode(message, null)), null));
        var sealedData = Element(RoomPayloadCodec.Encode(message, Key));
        Assert.Equal(JsonValueKind.String, sealedData.ValueKind);
        Assert.Equal(message, RoomPayloadCodec.Decode(sealedData, Key));
    }

    [Theory]
    [InlineData("{\"type\":\"announce\"}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"announce\",\"from\":7}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"from\":\"a\"}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"hello\",\"from\":\"a\"}", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"signal\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\"}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\",\"signal\":\"offer\"}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\",\"signal\":{}}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\",\"signal\":{\"type\":\"pranswer\",\"sdp\":\"v=0\"}}", nameof(YWebRtcFormatProblem.Unsupported))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\",\"signal\":{\"type\":\"offer\",\"sdp\":null}}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\",\"signal\":{\"type\":\"candidate\",\"candidate\":{\"sdpMid\":\"0\"}}}", nameof(YWebRtcFormatProblem.Missing))]
    [InlineData("\"a string\"", nameof(YWebRtcFormatProblem.Malformed))]
    [InlineData("[1,2]", nameof(YWebRtcFormatProblem.Malformed))]
    [InlineData("null", nameof(YWebRtcFormatProblem.Malformed))]
    public void BadPlainPayloadsAreRefused(string json, string problem)
    {
        var refused = Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.Decode(Parse(json), null));
        Assert.Equal(problem, refused.Problem.ToString());
    }

    [Theory]
    [InlineData("{\"type\":\"announce\",\"from\":\"a\"}", nameof(YWebRtcFormatProblem.Malformed))]
    [InlineData("\"not base64!\"", nameof(YWebRtcFormatProblem.Malformed))]
    [InlineData("\"\"", nameof(YWebRtcFormatProblem.Truncated))]
    public void BadSealedPayloadsAreRefused(string json, string problem)
    {
        var refused = Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.Decode(Parse(json), Key));
        Assert.Equal(problem, refused.Problem.ToString());
    }

    [Fact]
    public void SealedFramesWithTheWrongShapeAreRefused()
    {
        var plaintext = Lib0JsonAny.Encode(RoomPayloadCodec.ToJson(Samples[0]));
        var good = Key.Seal(plaintext);
        Assert.Equal(Samples[0], RoomPayloadCodec.DecodeSealed(Convert.ToBase64String(good), Key));

        // "AES-CBC" instead of "AES-GCM"
        var otherAlgorithm = (byte[])good.Clone();
        otherAlgorithm[5] = (byte)'C';
        otherAlgorithm[6] = (byte)'B';
        otherAlgorithm[7] = (byte)'C';
        Assert.Equal(YWebRtcFormatProblem.Unsupported, Refuse(otherAlgorithm).Problem);

        // An 8-byte IV: y-webrtc always draws 12.
        byte[] shortIv = [.. good[..8], 8, .. good[9..17], .. good[21..]];
        Assert.Equal(YWebRtcFormatProblem.Unsupported, Refuse(shortIv).Problem);

        // Fewer bytes than the GCM tag.
        byte[] noTag = [.. good[..21], 4, 1, 2, 3, 4];
        Assert.Equal(YWebRtcFormatProblem.Truncated, Refuse(noTag).Problem);

        // One flipped ciphertext bit.
        var tampered = (byte[])good.Clone();
        tampered[^20] ^= 1;
        Assert.Equal(YWebRtcFormatProblem.Undecryptable, Refuse(tampered).Problem);

        // A sealed JSON array: valid crypto, not a room message.
        Assert.Equal(YWebRtcFormatProblem.Malformed, Refuse(Key.Seal(Lib0JsonAny.Encode(new JsonArray()))).Problem);
    }

    [Fact]
    public void OversizedPayloadsAreRefused()
    {
        var huge = new string('A', RoomPayloadCodec.MaxPayloadChars + 4);
        Assert.Equal(YWebRtcFormatProblem.TooLarge, Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.DecodeSealed(huge, Key)).Problem);
        var bigSdp = new PeerSignalMessage("a", "b", 1, new SessionDescriptionSignal(true, huge));
        Assert.Equal(YWebRtcFormatProblem.TooLarge, Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.Decode(Element(RoomPayloadCodec.Encode(bigSdp, null)), null)).Problem);
    }

    [Fact]
    public void SeededMutationsOfSealedPayloadsOnlyRaiseOurException()
    {
        output.WriteLine($"seed {Seed}, 3000 mutations of sealed frames and of their plaintext");
        var random = new Random(Seed);
        var openedAfterDamage = 0;
        for (var i = 0; i < 3000; i++)
        {
            var message = Samples[random.Next(Samples.Length)];
            var plaintext = Lib0JsonAny.Encode(RoomPayloadCodec.ToJson(message)).ToList();
            var original = Key.Seal(plaintext.ToArray());
            var frame = original.ToList();
            Mutations.Apply(random, frame);
            Mutations.Apply(random, plaintext);
            try
            {
                RoomPayloadCodec.DecodeSealed(Convert.ToBase64String(frame.ToArray()), Key);
                if (!frame.SequenceEqual(original))
                {
                    openedAfterDamage++;
                }
            }
            catch (YWebRtcFormatException)
            {
                // refused: expected for nearly every damaged frame
            }

            try
            {
                // Damaged plaintext under a valid seal: what a peer with the password could send.
                RoomPayloadCodec.DecodeSealed(Convert.ToBase64String(Key.Seal(plaintext.ToArray())), Key);
            }
            catch (YWebRtcFormatException)
            {
                // refused with our exception
            }
        }

        // GCM authenticates every byte of the frame it covers; only damage outside it (none) could pass.
        Assert.Equal(0, openedAfterDamage);
    }

    [Fact]
    public void SeededMutationsOfPlainJsonOnlyRaiseOurException()
    {
        output.WriteLine($"seed {Seed + 1}, 3000 mutations of plain JSON payloads");
        var random = new Random(Seed + 1);
        for (var i = 0; i < 3000; i++)
        {
            var text = RoomPayloadCodec.ToJson(Samples[random.Next(Samples.Length)]).ToJsonString().ToList();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var at = random.Next(text.Count);
                if (random.Next(2) == 0)
                {
                    text.RemoveAt(at);
                }
                else
                {
                    text.Insert(at, "{}[]\",:0an"[random.Next(10)]);
                }
            }

            JsonElement element;
            try
            {
                element = Parse(new string([.. text]));
            }
            catch (JsonException)
            {
                continue; // the signalling client drops text that is not JSON before it reaches us
            }

            try
            {
                RoomPayloadCodec.Decode(element, null);
            }
            catch (YWebRtcFormatException)
            {
                // refused with our exception
            }
        }
    }

    private static YWebRtcFormatException Refuse(byte[] frame) =>
        Assert.Throws<YWebRtcFormatException>(() => RoomPayloadCodec.DecodeSealed(Convert.ToBase64String(frame), Key));

    private static JsonElement Element(JsonNode node) => Parse(node.ToJsonString());

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
