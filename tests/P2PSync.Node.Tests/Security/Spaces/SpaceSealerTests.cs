using System.Buffers.Binary;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Sealing and opening envelopes, and every way opening refuses.</summary>
public sealed class SpaceSealerTests
{
    [Fact]
    public void A_sealed_record_opens_to_the_same_bytes_with_its_header()
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var key, 0);
        var record = SignedRecord.Create(author, space, "d", 1, [[1, 2, 3]]);

        var sealedBytes = SpaceSealer.Seal(SealedEnvelopeKind.SignedRecord, space, key, record.Encoded);
        var opened = SpaceSealer.Open(sealedBytes, space, ring);

        Assert.Equal(SealedEnvelope.MinLength + record.Encoded.Length, sealedBytes.Length);
        Assert.Equal(SealedEnvelopeKind.SignedRecord, opened.Kind);
        Assert.Equal(space, opened.Space);
        Assert.Equal(0UL, opened.Epoch);
        Assert.Equal(record.Encoded, opened.Plaintext);
        Assert.True(SignedRecordCodec.Decode(opened.Plaintext).HasValidSignature());
    }

    [Fact]
    public void The_header_is_laid_out_as_documented()
    {
        var space = SpaceId.NewRandom();
        using var key = SpaceKey.Generate(0x0102030405060708);
        var sealedBytes = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, [9, 9, 9]);

        Assert.Equal(1, sealedBytes[0]);
        Assert.Equal(2, sealedBytes[1]);
        Assert.Equal(space.Bytes.ToArray(), sealedBytes[2..18]);
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64BigEndian(sealedBytes.AsSpan(18)));
        var parsed = SealedEnvelope.Parse(sealedBytes);
        Assert.Equal(24, parsed.Nonce.Length);
        Assert.Equal(3, parsed.PlaintextLength);
        Assert.Equal(space, parsed.Space);
    }

    [Fact]
    public void The_ciphertext_is_bare_xchacha20_poly1305_over_the_documented_nonce_and_associated_data()
    {
        // Checked with the primitive directly (it has its own known-answer tests), so the layout
        // is what docs/protocol/sealed-envelope.md says and not just whatever Open expects.
        var space = SpaceId.NewRandom();
        using var key = SpaceKey.Generate(4);
        byte[] plaintext = [10, 20, 30, 40, 50];
        var sealedBytes = SpaceSealer.Seal(SealedEnvelopeKind.SignedRecord, space, key, plaintext);

        var opened = new byte[plaintext.Length];
        Node.Crypto.XChaCha20Poly1305.Decrypt(key.Bytes, sealedBytes.AsSpan(26, 24), sealedBytes.AsSpan(0, 26), sealedBytes.AsSpan(50), opened);

        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void Empty_plaintext_seals_and_opens()
    {
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var key, 0);
        Assert.Empty(SpaceSealer.Open(SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, []), space, ring).Plaintext);
    }

    [Fact]
    public void Two_seals_of_the_same_bytes_differ()
    {
        var space = SpaceId.NewRandom();
        using var key = SpaceKey.Generate(0);
        var first = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, new byte[40]);
        var second = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, new byte[40]);
        Assert.False(first.AsSpan().SequenceEqual(second));
    }

    [Fact]
    public void Old_epochs_still_open_after_a_rotation_and_new_ones_need_the_new_key()
    {
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var zero, 0);
        using var one = SpaceKey.Generate(1);
        var old = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, zero, [1]);
        var fresh = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, one, [2]);

        // A device removed before epoch 1 holds only epoch 0.
        AssertProblem(SealedEnvelopeProblem.UnknownEpoch, fresh, space, ring);
        ring.Add(one);
        Assert.Equal([1], SpaceSealer.Open(old, space, ring).Plaintext);
        Assert.Equal([2], SpaceSealer.Open(fresh, space, ring).Plaintext);
    }

    [Fact]
    public void An_envelope_for_another_space_is_refused()
    {
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var key, 0);
        var sealedBytes = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, [1]);
        AssertProblem(SealedEnvelopeProblem.WrongSpace, sealedBytes, SpaceId.NewRandom(), ring);
    }

    [Fact]
    public void An_envelope_sealed_with_another_key_for_the_same_epoch_is_forged()
    {
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out _, 0);
        using var outsider = SpaceKey.Generate(0);
        AssertProblem(SealedEnvelopeProblem.Forged, SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, outsider, [1]), space, ring);
    }

    [Fact]
    public void A_relabelled_kind_or_epoch_does_not_authenticate()
    {
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var key, 0);
        using var one = SpaceKey.Generate(1);
        ring.Add(one);
        var sealedBytes = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, [1, 2, 3]);

        var kind = sealedBytes.ToArray();
        kind[1] = 1;
        var epoch = sealedBytes.ToArray();
        epoch[25] = 1;

        AssertProblem(SealedEnvelopeProblem.Forged, kind, space, ring);
        AssertProblem(SealedEnvelopeProblem.Forged, epoch, space, ring);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Too_short_is_malformed(int length)
    {
        using var ring = new SpaceKeyRing();
        AssertProblem(SealedEnvelopeProblem.Malformed, new byte[length], SpaceId.NewRandom(), ring);
    }

    [Fact]
    public void Too_long_is_malformed()
    {
        using var ring = new SpaceKeyRing();
        AssertProblem(SealedEnvelopeProblem.Malformed, new byte[SealedEnvelope.MaxLength + 1], SpaceId.NewRandom(), ring);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 3)]
    public void Unknown_version_or_kind_is_malformed(byte version, byte kind)
    {
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var key, 0);
        var sealedBytes = SpaceSealer.Seal(SealedEnvelopeKind.SignedRecord, space, key, [1]);
        sealedBytes[0] = version;
        sealedBytes[1] = kind;
        AssertProblem(SealedEnvelopeProblem.Malformed, sealedBytes, space, ring);
    }

    [Fact]
    public void Seal_refuses_what_the_format_cannot_carry()
    {
        using var key = SpaceKey.Generate(0);
        var space = SpaceId.NewRandom();
        Assert.Throws<ArgumentOutOfRangeException>(() => SpaceSealer.Seal((SealedEnvelopeKind)3, space, key, [1]));
        Assert.Throws<ArgumentException>(() => SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, default, key, [1]));
        Assert.Throws<ArgumentException>(() => SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, new byte[SealedEnvelope.MaxPlaintextBytes + 1]));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, space, key, [1]));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    public void Mutated_envelopes_never_open(int seed)
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        using var ring = RingWith(out var key, 0);
        var record = SignedRecord.Create(author, space, "d", 1, [new byte[64]]);
        var original = SpaceSealer.Seal(SealedEnvelopeKind.SignedRecord, space, key, record.Encoded);
        var random = new Random(seed);
        var problems = new HashSet<SealedEnvelopeProblem>();
        for (var i = 0; i < 300; i++)
        {
            byte[] mutant;
            if (i % 2 == 0)
            {
                mutant = original.ToArray();
                var bit = random.Next(mutant.Length * 8);
                mutant[bit / 8] ^= (byte)(1 << (bit % 8));
            }
            else
            {
                mutant = ByteMutator.Mutate(original, random);
            }

            try
            {
                SpaceSealer.Open(mutant, space, ring);
                Assert.Fail($"seed {seed}, case {i}: mutant {Convert.ToHexString(mutant)} opened");
            }
            catch (SealedEnvelopeException ex)
            {
                problems.Add(ex.Problem);
            }
        }

        Assert.True(problems.Contains(SealedEnvelopeProblem.Forged), $"seed {seed}: no mutant reached authentication ({string.Join(", ", problems)})");
    }

    private static SpaceKeyRing RingWith(out SpaceKey key, ulong epoch)
    {
        var ring = new SpaceKeyRing();
        using var fresh = SpaceKey.Generate(epoch);
        ring.Add(fresh);
        Assert.True(ring.TryGet(epoch, out var held));
        key = held;
        return ring;
    }

    private static void AssertProblem(SealedEnvelopeProblem problem, byte[] sealedBytes, SpaceId space, SpaceKeyRing ring)
    {
        var ex = Assert.Throws<SealedEnvelopeException>(() => SpaceSealer.Open(sealedBytes, space, ring));
        Assert.Equal(problem, ex.Problem);
    }
}
