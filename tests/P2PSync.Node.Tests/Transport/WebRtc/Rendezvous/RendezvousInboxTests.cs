using System.Text.Json;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Protocol.Identity;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

public sealed class RendezvousInboxTests : IDisposable
{
    private const long Now = 1_800_000_000_000;
    private static readonly SpaceId Space = RendezvousCodecTests.Space;
    private static readonly SpaceId Other = SpaceId.FromBytes(Enumerable.Repeat((byte)0x22, 16).ToArray());

    private readonly DeviceKey _alice = RendezvousCodecTests.Key(1);
    private readonly DeviceKey _bob = RendezvousCodecTests.Key(2);
    private readonly DeviceKey _carol = RendezvousCodecTests.Key(3);
    private readonly DeviceKey _mallory = RendezvousCodecTests.Key(4);
    private readonly FixedRendezvousSpaces _spaces = new();
    private readonly RendezvousInbox _bobInbox;

    private readonly ITestOutputHelper _output;

    public RendezvousInboxTests(ITestOutputHelper output)
    {
        _output = output;
        _spaces.Add(Space, SpaceKey.Generate(1), _alice.Id, _bob.Id, _carol.Id);
        _spaces.Add(Other, SpaceKey.Generate(1), _alice.Id, _bob.Id, _mallory.Id);
        _bobInbox = new RendezvousInbox(_bob.Id, _spaces);
    }

    [Fact]
    public void Offer_FromAMember_ToUs_IsTaken()
    {
        var verdict = _bobInbox.Take(Space, Post(Offer(_alice, _bob.Id)), Now);
        Assert.Equal(RendezvousRefusal.None, verdict.Refusal);
        Assert.Equal(RendezvousMessageType.Offer, verdict.Message!.Type);
        Assert.Equal(_alice.Id, verdict.Message.Sender);
        Assert.Equal("v=0", verdict.Message.Body);
    }

    [Fact]
    public void BroadcastHello_IsTaken_AndOurOwnEchoIsNot()
    {
        var hello = Message(_alice, RendezvousMessageType.Hello, default, "");
        Assert.Equal(RendezvousRefusal.None, _bobInbox.Take(Space, Post(hello), Now).Refusal);
        var own = Message(_bob, RendezvousMessageType.Hello, default, "");
        Assert.Equal(RendezvousRefusal.Own, _bobInbox.Take(Space, Post(own), Now).Refusal);
    }

    [Fact]
    public void ForAnotherDevice_IsIgnored() =>
        Assert.Equal(RendezvousRefusal.NotForUs, _bobInbox.Take(Space, Post(Offer(_alice, _carol.Id)), Now).Refusal);

    [Fact]
    public void NotAMember_IsRefused_EvenWithTheKey()
    {
        // Mallory signs, and seals with the space key (say it leaked, or she was removed and kept it).
        var verdict = _bobInbox.Take(Space, Post(Offer(_mallory, _bob.Id)), Now);
        Assert.Equal(RendezvousRefusal.NotAMember, verdict.Refusal);
        _spaces.RemoveMember(Space, _carol.Id);
        Assert.Equal(RendezvousRefusal.NotAMember, _bobInbox.Take(Space, Post(Offer(_carol, _bob.Id)), Now).Refusal);
    }

    [Theory]
    [InlineData(-120_001)]
    [InlineData(120_001)]
    [InlineData(-86_400_000)]
    public void Stale_EitherWay_IsRefused(long offsetMs)
    {
        var verdict = _bobInbox.Take(Space, Post(Offer(_alice, _bob.Id, Now + offsetMs)), Now);
        Assert.Equal(RendezvousRefusal.Stale, verdict.Refusal);
        Assert.Contains("away from our clock", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AtTheEdgeOfTheWindow_IsTaken() =>
        Assert.Equal(RendezvousRefusal.None, _bobInbox.Take(Space, Post(Offer(_alice, _bob.Id, Now - 120_000)), Now).Refusal);

    [Fact]
    public void Replayed_IsRefused_EvenResealed()
    {
        var offer = Offer(_alice, _bob.Id);
        var first = Post(offer);
        Assert.Equal(RendezvousRefusal.None, _bobInbox.Take(Space, first, Now).Refusal);
        Assert.Equal(RendezvousRefusal.Replayed, _bobInbox.Take(Space, first, Now + 1000).Refusal);
        // Sealed again (fresh nonce): the same signed message inside.
        Assert.Equal(RendezvousRefusal.Replayed, _bobInbox.Take(Space, Post(offer), Now + 2000).Refusal);
    }

    [Fact]
    public void WrongEpoch_AfterARotation_IsRefused()
    {
        var oldOffer = Post(Offer(_alice, _bob.Id));
        _spaces.Add(Space, SpaceKey.Generate(2));
        var verdict = _bobInbox.Take(Space, oldOffer, Now);
        Assert.Equal(RendezvousRefusal.WrongEpoch, verdict.Refusal);

        // Signed for epoch 1 but sealed under epoch 2: refused too (the signature binds the epoch).
        var mismatched = RendezvousCodec.Encode(Offer(_alice, _bob.Id) with { Epoch = 1 }, _alice);
        Assert.Equal(RendezvousRefusal.WrongEpoch, _bobInbox.Take(Space, Seal(mismatched), Now).Refusal);
        Assert.Equal(RendezvousRefusal.None, _bobInbox.Take(Space, Post(Offer(_alice, _bob.Id) with { Epoch = 2 }), Now).Refusal);
    }

    [Fact]
    public void SignedForAnotherSpace_IsRefused()
    {
        // Alice is in both spaces: a message she signed for Other, re-sealed for Space by someone holding both keys.
        var forOther = RendezvousCodec.Encode(Offer(_alice, _bob.Id) with { Space = Other }, _alice);
        Assert.Equal(RendezvousRefusal.WrongSpace, _bobInbox.Take(Space, Seal(forOther), Now).Refusal);
        // Sealed for Other, posted to Space's topic: it does not even open as Space's.
        var sealedForOther = SpaceSealer.Seal(SealedEnvelopeKind.WebRtcRendezvous, Other, _spaces.KeyOf(Other, 1), forOther);
        Assert.Equal(RendezvousRefusal.NotSealed, _bobInbox.Take(Space, sealedForOther, Now).Refusal);
    }

    [Fact]
    public void Garbage_IsRefusedWithReasons()
    {
        Assert.Equal(RendezvousRefusal.NotSealed, _bobInbox.Take(Space, Json("{\"type\":\"announce\"}"), Now).Refusal);
        Assert.Equal(RendezvousRefusal.NotSealed, _bobInbox.Take(Space, Json("\"not base64!\""), Now).Refusal);
        Assert.Equal(RendezvousRefusal.NotSealed, _bobInbox.Take(Space, Json("\"\\ud800\""), Now).Refusal);
        Assert.Equal(RendezvousRefusal.NotSealed, _bobInbox.Take(Space, Json("\"AAAA\""), Now).Refusal);
        Assert.Equal(RendezvousRefusal.NotSealed, _bobInbox.Take(SpaceId.FromBytes(new byte[16]), Post(Offer(_alice, _bob.Id)), Now).Refusal);
        var nodeMessage = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, Space, _spaces.KeyOf(Space, 1), RendezvousCodec.Encode(Offer(_alice, _bob.Id), _alice));
        Assert.Equal(RendezvousRefusal.WrongKind, _bobInbox.Take(Space, nodeMessage, Now).Refusal);
        var verdict = _bobInbox.Take(Space, Seal([1, 2, 3]), Now);
        Assert.Equal(RendezvousRefusal.Malformed, verdict.Refusal);
        Assert.Contains("Truncated", verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void SeededMutationsOfSealedPosts_AreOnlyEverRefused(int seed)
    {
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var original = RendezvousEnvelope.FromData(Post(Offer(_alice, _bob.Id)))!;
        var refusals = new Dictionary<RendezvousRefusal, int>();
        for (var i = 0; i < 500; i++)
        {
            var mutated = (byte[])original.Clone();
            for (var flips = random.Next(1, 3); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
            }

            var input = random.Next(4) == 0 ? mutated[..random.Next(mutated.Length)] : mutated;
            var verdict = _bobInbox.Take(Space, input, Now);
            Assert.Null(verdict.Message);
            refusals[verdict.Refusal] = refusals.GetValueOrDefault(verdict.Refusal) + 1;
        }

        _output.WriteLine(string.Join(", ", refusals.Select(r => $"{r.Key} {r.Value}")));
        Assert.True(refusals.GetValueOrDefault(RendezvousRefusal.NotSealed) > 400);
    }

    [Fact]
    public void ReplayWindow_StaysBounded_AndNeverTakesWhatItForgot()
    {
        var window = new RendezvousReplayWindow(3, TimeSpan.FromMinutes(2));
        byte[] Sig(int i) => [(byte)i];
        Assert.True(window.TryRecord(Sig(1), Now - 4, Now));
        Assert.True(window.TryRecord(Sig(2), Now - 3, Now));
        Assert.True(window.TryRecord(Sig(3), Now - 2, Now));
        Assert.True(window.TryRecord(Sig(4), Now - 1, Now));
        Assert.Equal(3, window.Count);
        Assert.False(window.TryRecord(Sig(1), Now - 4, Now));
        Assert.False(window.TryRecord(Sig(5), Now - 4, Now));
        Assert.False(window.TryRecord(Sig(4), Now - 1, Now));
        Assert.True(window.TryRecord(Sig(6), Now, Now));

        // Later, everything is older than the window and goes.
        Assert.True(window.TryRecord(Sig(7), Now + 200_000, Now + 200_000));
        Assert.Equal(1, window.Count);
    }

    public void Dispose()
    {
        _spaces.Dispose();
        _alice.Dispose();
        _bob.Dispose();
        _carol.Dispose();
        _mallory.Dispose();
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private RendezvousMessage Offer(DeviceKey from, DeviceId to, long at = Now) =>
        new(RendezvousMessageType.Offer, Space, 1, from.Id, to, RendezvousCodecTests.Session, at, "v=0");

    private static RendezvousMessage Message(DeviceKey from, RendezvousMessageType type, DeviceId to, string body) =>
        new(type, Space, 1, from.Id, to, RendezvousCodecTests.Session, Now, body);

    private JsonElement Post(RendezvousMessage message)
    {
        var signer = new[] { _alice, _bob, _carol, _mallory }.Single(k => k.Id.Equals(message.Sender));
        return RendezvousEnvelope.ToData(message, signer, _spaces);
    }

    private byte[] Seal(byte[] plaintext) => _spaces.Seal(Space, plaintext);
}
