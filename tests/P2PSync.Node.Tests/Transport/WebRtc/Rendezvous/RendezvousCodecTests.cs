using System.Buffers.Binary;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Protocol.Identity;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

public sealed class RendezvousCodecTests(ITestOutputHelper output)
{
    internal static readonly SpaceId Space = SpaceId.FromBytes(Enumerable.Repeat((byte)0x11, 16).ToArray());
    internal static readonly byte[] Session = Enumerable.Repeat((byte)0xAA, 16).ToArray();

    internal static DeviceKey Key(byte fill) => DeviceKey.FromSeed(Enumerable.Repeat(fill, DeviceKey.SeedLength).ToArray());

    [Fact]
    public void Golden_Layout_FieldByField()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var message = new RendezvousMessage(RendezvousMessageType.Offer, Space, 3, alice.Id, bob.Id, Session, 0x0000019A_12345678, "v=0\r\n");
        var bytes = RendezvousCodec.Encode(message, alice);

        var expectedHeader = Convert.FromHexString(
            "01" + "02" + new string('1', 32) + "0000000000000003"
            + Convert.ToHexString(alice.PublicKey) + Convert.ToHexString(bob.PublicKey)
            + new string('A', 32) + "0000019A12345678" + "00000005");
        Assert.Equal(expectedHeader, bytes[..RendezvousCodec.HeaderLength]);
        Assert.Equal("v=0\r\n"u8.ToArray(), bytes[RendezvousCodec.HeaderLength..^64]);
        Assert.Equal(RendezvousCodec.HeaderLength + 5 + 64, bytes.Length);

        // The signature covers the label and every byte before it; Ed25519 is deterministic, so these bytes are fixed.
        var signed = "p2psync/webrtc-rendezvous/v1\0"u8.ToArray().Concat(bytes[..^64]).ToArray();
        Assert.True(Sodium.Ed25519Verify(bytes[^64..], signed, alice.PublicKey));
        Assert.Equal(alice.Sign(signed), bytes[^64..]);
    }

    [Theory]
    [InlineData((int)RendezvousMessageType.Hello, false, "")]
    [InlineData((int)RendezvousMessageType.Hello, true, "")]
    [InlineData((int)RendezvousMessageType.Offer, true, "v=0 offer")]
    [InlineData((int)RendezvousMessageType.Answer, true, "v=0 answer")]
    [InlineData((int)RendezvousMessageType.Candidate, true, "candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host")]
    [InlineData((int)RendezvousMessageType.Candidate, true, "")]
    [InlineData((int)RendezvousMessageType.Bye, false, "shutting down ✓")]
    public void RoundTrip(int type, bool targeted, string body)
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var message = new RendezvousMessage((RendezvousMessageType)type, Space, ulong.MaxValue, alice.Id, targeted ? bob.Id : default, Session, -5, body);
        var decoded = RendezvousCodec.Decode(RendezvousCodec.Encode(message, alice));
        Assert.Equal(message.Type, decoded.Type);
        Assert.Equal(message.Space, decoded.Space);
        Assert.Equal(message.Epoch, decoded.Epoch);
        Assert.Equal(message.Sender, decoded.Sender);
        Assert.Equal(message.Target, decoded.Target);
        Assert.Equal(message.Session.ToArray(), decoded.Session.ToArray());
        Assert.Equal(message.TimestampMs, decoded.TimestampMs);
        Assert.Equal(message.Body, decoded.Body);
    }

    [Fact]
    public void Encode_RefusesWhatDecodeWouldRefuse()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        RendezvousMessage Good() => new(RendezvousMessageType.Offer, Space, 1, alice.Id, bob.Id, Session, 1, "sdp");
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good(), bob));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Target = default }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Target = alice.Id }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Body = "" }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Type = RendezvousMessageType.Hello }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Type = (RendezvousMessageType)9 }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Session = new byte[16] }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Session = new byte[8] }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Space = SpaceId.FromBytes(new byte[16]) }, alice));
        Assert.Throws<ArgumentException>(() => RendezvousCodec.Encode(Good() with { Body = new string('x', RendezvousCodec.MaxBodyBytes + 1) }, alice));
    }

    [Fact]
    public void Decode_NamesEachProblem()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var good = RendezvousCodec.Encode(new RendezvousMessage(RendezvousMessageType.Answer, Space, 1, alice.Id, bob.Id, Session, 1, "sdp"), alice);

        Assert.Equal(RendezvousFormatProblem.Truncated, Problem(good[..100]));
        Assert.Equal(RendezvousFormatProblem.Truncated, Problem(good[..^1]));
        Assert.Equal(RendezvousFormatProblem.UnknownVersion, Problem(With(good, 0, 2)));
        Assert.Equal(RendezvousFormatProblem.UnknownType, Problem(With(good, 1, 0)));
        Assert.Equal(RendezvousFormatProblem.UnknownType, Problem(With(good, 1, 6)));
        var tooLong = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(tooLong.AsSpan(114), RendezvousCodec.MaxBodyBytes + 1);
        Assert.Equal(RendezvousFormatProblem.BodyTooLong, Problem(tooLong));
        Assert.Equal(RendezvousFormatProblem.BadSignature, Problem(With(good, 120, (byte)(good[120] ^ 1))));
        Assert.Equal(RendezvousFormatProblem.BadSignature, Problem(With(good, good.Length - 1, (byte)(good[^1] ^ 1))));
        // A target rewritten to zero: refused as a bad field before the signature is even checked.
        var untargeted = (byte[])good.Clone();
        Array.Clear(untargeted, 58, 32);
        Assert.Equal(RendezvousFormatProblem.BadField, Problem(untargeted));

        // Invalid UTF-8 that is properly signed (a sender can sign anything): refused as text.
        var badText = RendezvousCodec.Encode(new RendezvousMessage(RendezvousMessageType.Answer, Space, 1, alice.Id, bob.Id, Session, 1, "abc"), alice);
        badText[RendezvousCodec.HeaderLength] = 0xC3;
        badText[RendezvousCodec.HeaderLength + 1] = 0x28;
        var signed = "p2psync/webrtc-rendezvous/v1\0"u8.ToArray().Concat(badText[..^64]).ToArray();
        alice.Sign(signed).CopyTo(badText, badText.Length - 64);
        Assert.Equal(RendezvousFormatProblem.BadText, Problem(badText));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void SeededMutations_OnlyEverThrowOurFormatException(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var alice = Key(1);
        using var bob = Key(2);
        byte[][] originals =
        [
            RendezvousCodec.Encode(new RendezvousMessage(RendezvousMessageType.Hello, Space, 1, alice.Id, default, Session, 1, ""), alice),
            RendezvousCodec.Encode(new RendezvousMessage(RendezvousMessageType.Offer, Space, 1, alice.Id, bob.Id, Session, 1, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"), alice),
            RendezvousCodec.Encode(new RendezvousMessage(RendezvousMessageType.Bye, Space, 1, alice.Id, bob.Id, Session, 1, "closed"), alice),
        ];
        var problems = new Dictionary<RendezvousFormatProblem, int>();
        var accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var original = originals[random.Next(originals.Length)];
            var mutated = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var input = random.Next(5) == 0 ? mutated[..random.Next(mutated.Length)] : mutated;
            try
            {
                RendezvousCodec.Decode(input);
                accepted++;
                Assert.Equal(original, input);
            }
            catch (RendezvousFormatException ex)
            {
                problems[ex.Problem] = problems.GetValueOrDefault(ex.Problem) + 1;
            }
        }

        output.WriteLine($"accepted (unchanged) {accepted}; " + string.Join(", ", problems.Select(p => $"{p.Key} {p.Value}")));
        Assert.True(problems.GetValueOrDefault(RendezvousFormatProblem.BadSignature) > 100);
    }

    [Fact]
    public void Glare_ExactlyOneSideOffers()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        Assert.NotEqual(RendezvousRoles.ShouldOffer(alice.Id, bob.Id), RendezvousRoles.ShouldOffer(bob.Id, alice.Id));
        Assert.Equal(string.CompareOrdinal(alice.Id.ToString(), bob.Id.ToString()) < 0, RendezvousRoles.ShouldOffer(alice.Id, bob.Id));
        Assert.False(RendezvousRoles.ShouldOffer(alice.Id, alice.Id));
    }

    [Fact]
    public void Topic_IsKeyedHexOfTheSpace_AndNotTheMailboxTopic()
    {
        var topic = RendezvousTopics.For(Space);
        Assert.Equal(64, topic.Length);
        Assert.Equal(topic, RendezvousTopics.For(SpaceId.FromBytes(Space.Bytes)));
        Assert.NotEqual(topic, RendezvousTopics.For(SpaceId.FromBytes(Enumerable.Repeat((byte)0x12, 16).ToArray())));
        Assert.NotEqual(topic, Convert.ToHexStringLower(P2PSync.Node.Transport.Relay.RelayTopics.For(Space)));
        var expected = new byte[32];
        Sodium.Blake2b(expected, Space.Bytes, "p2psync/webrtc-rendezvous-topic/v1"u8);
        Assert.Equal(Convert.ToHexStringLower(expected), topic);
        Assert.Throws<ArgumentException>(() => RendezvousTopics.For(default));
    }

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }

    private static RendezvousFormatProblem Problem(byte[] bytes) =>
        Assert.Throws<RendezvousFormatException>(() => RendezvousCodec.Decode(bytes)).Problem;
}
