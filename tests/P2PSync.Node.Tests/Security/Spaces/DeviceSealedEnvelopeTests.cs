using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Storage;
using P2PSync.Protocol.Identity;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Envelopes sealed to one device (kind 3): only that device opens them, whatever space keys anyone holds.</summary>
public sealed class DeviceSealedEnvelopeTests(ITestOutputHelper output)
{
    [Fact]
    public void It_opens_for_the_recipient_only_and_is_laid_out_as_documented()
    {
        using var recipient = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        byte[] plaintext = [1, 2, 3, 4, 5];

        var sealedBytes = DeviceSealedEnvelope.Seal(space, recipient.Id, plaintext);

        Assert.Equal(1, sealedBytes[0]);
        Assert.Equal(3, sealedBytes[1]);
        Assert.Equal(space.Bytes.ToArray(), sealedBytes[2..18]);
        Assert.Equal(18 + 48 + 16 + plaintext.Length, sealedBytes.Length);
        Assert.Equal(DeviceSealedEnvelope.MinLength + plaintext.Length, sealedBytes.Length);
        Assert.True(DeviceSealedEnvelope.IsDeviceSealed(sealedBytes));
        Assert.Equal(plaintext, DeviceSealedEnvelope.Open(sealedBytes, space, recipient));
    }

    [Fact]
    public void A_removed_member_holding_every_old_space_key_cannot_open_an_update_sealed_to_another_member()
    {
        using var owner = DeviceKey.Generate();
        using var staying = DeviceKey.Generate();
        using var removed = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        // The removed member kept the ring it had: epoch 0 (and would have any older epoch as well).
        using var removedRing = new SpaceKeyRing();
        using var epochZero = SpaceKey.Generate(0);
        removedRing.Add(epochZero);
        var update = System.Text.Encoding.UTF8.GetBytes("membership update for the staying member");

        var sealedForStaying = DeviceSealedEnvelope.Seal(space, staying.Id, update);

        var notForRemoved = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(sealedForStaying, space, removed));
        var noSpaceKeyOpensIt = Assert.Throws<SealedEnvelopeException>(() => SpaceSealer.Open(sealedForStaying, space, removedRing));
        Assert.Equal(SealedEnvelopeProblem.NotForThisDevice, notForRemoved.Problem);
        Assert.Equal(SealedEnvelopeProblem.Malformed, noSpaceKeyOpensIt.Problem);
        Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(sealedForStaying, space, owner));
        Assert.Equal(update, DeviceSealedEnvelope.Open(sealedForStaying, space, staying));
    }

    [Fact]
    public void Another_space_in_the_header_or_inside_is_refused_as_wrong_space()
    {
        using var recipient = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var other = SpaceId.NewRandom();
        var sealedBytes = DeviceSealedEnvelope.Seal(space, recipient.Id, [7]);
        var relabelled = (byte[])sealedBytes.Clone();
        other.Bytes.CopyTo(relabelled.AsSpan(2));

        var expectedOther = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(sealedBytes, other, recipient));
        var headerSwapped = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(relabelled, other, recipient));

        Assert.Equal(SealedEnvelopeProblem.WrongSpace, expectedOther.Problem);
        Assert.Equal(SealedEnvelopeProblem.WrongSpace, headerSwapped.Problem);
        Assert.Contains("sealed for another space", headerSwapped.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "is 82 to")]
    [InlineData(81, "is 82 to")]
    public void Too_short_is_malformed(int length, string message)
    {
        using var recipient = DeviceKey.Generate();
        var bytes = new byte[length];
        if (length >= 2)
        {
            bytes[0] = 1;
            bytes[1] = 3;
        }

        var ex = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(bytes, SpaceId.NewRandom(), recipient));

        Assert.Equal(SealedEnvelopeProblem.Malformed, ex.Problem);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 9)]
    public void Another_version_or_kind_is_malformed(int offset, byte value)
    {
        using var recipient = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var bytes = DeviceSealedEnvelope.Seal(space, recipient.Id, [1, 2]);
        bytes[offset] = value;

        var ex = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(bytes, space, recipient));

        Assert.Equal(SealedEnvelopeProblem.Malformed, ex.Problem);
        Assert.False(DeviceSealedEnvelope.IsDeviceSealed(bytes));
    }

    [Fact]
    public void Sealing_to_a_device_id_that_is_not_a_usable_key_is_refused()
    {
        var notAPoint = new byte[32];
        notAPoint[0] = 1;

        var ex = Assert.Throws<SpaceKeyException>(() => DeviceSealedEnvelope.Seal(SpaceId.NewRandom(), DeviceId.FromPublicKey(notAPoint), [1]));

        Assert.Equal(SpaceKeyProblem.InvalidRecipient, ex.Problem);
        Assert.Throws<ArgumentException>(() => DeviceSealedEnvelope.Seal(SpaceId.NewRandom(), default, [1]));
    }

    [Fact]
    public void Mutated_envelopes_never_open_and_fail_only_with_a_sealed_envelope_error()
    {
        const int Seed = 20261123;
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        using var recipient = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var original = DeviceSealedEnvelope.Seal(space, recipient.Id, System.Text.Encoding.UTF8.GetBytes("a signed SpaceState would be here"));
        var problems = new Dictionary<SealedEnvelopeProblem, int>();
        for (var i = 0; i < 300; i++)
        {
            var mutated = Mutations.Mutate(original, random);
            if (mutated.AsSpan().SequenceEqual(original))
            {
                continue;
            }

            var ex = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(mutated, space, recipient));
            problems[ex.Problem] = problems.GetValueOrDefault(ex.Problem) + 1;
        }

        output.WriteLine(string.Join(", ", problems.Select(p => $"{p.Key} {p.Value}")));
        Assert.True(problems.GetValueOrDefault(SealedEnvelopeProblem.NotForThisDevice) > 0, $"seed {Seed}");
        Assert.True(problems.GetValueOrDefault(SealedEnvelopeProblem.Malformed) > 0, $"seed {Seed}");
    }
}
