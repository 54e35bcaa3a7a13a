using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Space keys, the key ring, and keys wrapped to a device.</summary>
public sealed class SpaceKeyTests
{
    [Fact]
    public void Generated_keys_are_32_random_bytes_with_their_epoch()
    {
        using var first = SpaceKey.Generate(3);
        using var second = SpaceKey.Generate(3);

        Assert.Equal(3UL, first.Epoch);
        Assert.Equal(32, first.Bytes.Length);
        Assert.False(first.Bytes.SequenceEqual(second.Bytes));
        Assert.False(first.SameAs(second));
        Assert.True(first.SameAs(first.Copy()));
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SpaceKey(0, new byte[31]));
        Assert.Throws<ArgumentException>(() => new SpaceKey(0, new byte[33]));
    }

    [Fact]
    public void A_disposed_key_is_wiped_and_unusable()
    {
        var key = SpaceKey.Generate(0);
        key.Dispose();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Bytes.Length);
    }

    [Fact]
    public void The_ring_keeps_copies_and_current_is_the_highest_epoch()
    {
        using var ring = new SpaceKeyRing();
        Assert.Throws<InvalidOperationException>(() => ring.Current);

        using var zero = SpaceKey.Generate(0);
        using var two = SpaceKey.Generate(2);
        using var one = SpaceKey.Generate(1);
        Assert.True(ring.Add(zero));
        Assert.True(ring.Add(two));
        Assert.True(ring.Add(one));

        Assert.Equal(2UL, ring.Current.Epoch);
        Assert.True(ring.Current.SameAs(two));
        Assert.Equal([0UL, 1UL, 2UL], ring.Epochs);
        Assert.Equal(3, ring.Count);

        // The caller's key is its own: disposing it leaves the ring's copy intact.
        one.Dispose();
        Assert.True(ring.TryGet(1, out var held));
        Assert.Equal(32, held.Bytes.Length);
        Assert.False(ring.TryGet(7, out _));
    }

    [Fact]
    public void Adding_the_same_key_again_is_not_new_and_a_different_key_for_an_epoch_is_refused()
    {
        using var ring = new SpaceKeyRing();
        using var key = SpaceKey.Generate(0);
        using var other = SpaceKey.Generate(0);
        Assert.True(ring.Add(key));

        Assert.False(ring.Add(key.Copy()));
        var ex = Assert.Throws<SpaceKeyException>(() => ring.Add(other));
        Assert.Equal(SpaceKeyProblem.ConflictingEpoch, ex.Problem);
        Assert.True(ring.Current.SameAs(key));
    }

    [Fact]
    public void A_disposed_ring_wipes_its_keys_and_refuses_use()
    {
        var ring = new SpaceKeyRing();
        using var key = SpaceKey.Generate(0);
        ring.Add(key);
        Assert.True(ring.TryGet(0, out var held));

        ring.Dispose();

        Assert.Throws<ObjectDisposedException>(() => held.Bytes.Length);
        Assert.Throws<ObjectDisposedException>(() => ring.Current);
        Assert.Throws<ObjectDisposedException>(() => ring.Add(key));
    }

    [Fact]
    public void A_wrapped_key_opens_only_for_its_recipient_and_epoch()
    {
        using var recipient = DeviceKey.Generate();
        using var other = DeviceKey.Generate();
        using var key = SpaceKey.Generate(5);

        var wrapped = SpaceKeyWrap.Wrap(key, recipient.Id);
        Assert.Equal(SpaceKeyWrap.WrappedLength, wrapped.Length);

        using var opened = SpaceKeyWrap.Unwrap(wrapped, 5, recipient);
        Assert.True(opened.SameAs(key));
        Assert.Equal(SpaceKeyProblem.NotForThisDevice, Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Unwrap(wrapped, 5, other)).Problem);
        Assert.Equal(SpaceKeyProblem.WrongEpoch, Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Unwrap(wrapped, 6, recipient)).Problem);
    }

    [Fact]
    public void A_wrapped_key_is_a_sealed_box_of_the_epoch_and_the_key()
    {
        using var recipient = DeviceKey.Generate();
        using var key = SpaceKey.Generate(0x0A0B);
        var wrapped = SpaceKeyWrap.Wrap(key, recipient.Id);

        var plain = new byte[40];
        var secret = recipient.ToX25519SecretKey();
        var publicKey = new byte[32];
        Node.Crypto.Sodium.X25519PublicKey(secret, publicKey);
        Node.Crypto.SealedBox.Open(wrapped, publicKey, secret, plain);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0x0A, 0x0B }, plain[..8]);
        Assert.Equal(key.Bytes.ToArray(), plain[8..]);
    }

    [Fact]
    public void Wrapping_twice_gives_different_bytes()
    {
        using var recipient = DeviceKey.Generate();
        using var key = SpaceKey.Generate(0);
        Assert.False(SpaceKeyWrap.Wrap(key, recipient.Id).AsSpan().SequenceEqual(SpaceKeyWrap.Wrap(key, recipient.Id)));
    }

    [Fact]
    public void A_wrapped_key_of_the_wrong_length_is_malformed()
    {
        using var recipient = DeviceKey.Generate();
        using var key = SpaceKey.Generate(0);
        var wrapped = SpaceKeyWrap.Wrap(key, recipient.Id);

        Assert.Equal(SpaceKeyProblem.Malformed, Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Unwrap(wrapped[..^1], 0, recipient)).Problem);
        Assert.Equal(SpaceKeyProblem.Malformed, Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Unwrap([.. wrapped, 0], 0, recipient)).Problem);
        Assert.Equal(SpaceKeyProblem.Malformed, Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Unwrap([], 0, recipient)).Problem);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Every_flipped_bit_of_a_wrapped_key_is_refused(int seed)
    {
        using var recipient = DeviceKey.Generate();
        using var key = SpaceKey.Generate(1);
        var wrapped = SpaceKeyWrap.Wrap(key, recipient.Id);
        var random = new Random(seed);
        for (var i = 0; i < 50; i++)
        {
            var mutant = wrapped.ToArray();
            var bit = random.Next(mutant.Length * 8);
            mutant[bit / 8] ^= (byte)(1 << (bit % 8));
            var ex = Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Unwrap(mutant, 1, recipient));
            Assert.True(ex.Problem == SpaceKeyProblem.NotForThisDevice, $"seed {seed}, case {i}, bit {bit}: {ex.Problem}");
        }
    }

    [Fact]
    public void A_recipient_that_is_not_a_usable_ed25519_key_is_refused()
    {
        // The neutral element (y = 1): a small-order point, which libsodium refuses to convert, so
        // a box sealed to it would be readable by anyone.
        var notAPoint = new byte[32];
        notAPoint[0] = 1;
        using var key = SpaceKey.Generate(0);

        var ex = Assert.Throws<SpaceKeyException>(() => SpaceKeyWrap.Wrap(key, DeviceId.FromPublicKey(notAPoint)));
        Assert.Equal(SpaceKeyProblem.InvalidRecipient, ex.Problem);
        Assert.Throws<ArgumentException>(() => SpaceKeyWrap.Wrap(key, default));
    }
}
