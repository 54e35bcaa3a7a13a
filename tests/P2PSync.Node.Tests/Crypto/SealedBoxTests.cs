using P2PSync.Node.Tests.Support;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Tests.Crypto;

/// <summary>Wrapping a space key to a device: only that device opens it, and no altered box opens at all.</summary>
public sealed class SealedBoxTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(1000)]
    public void RoundTripsWithX25519Keys(int length)
    {
        var random = new Random(70 + length);
        var (publicKey, secretKey) = X25519KeyPair(random);
        var message = new byte[length];
        random.NextBytes(message);

        var sealedBox = new byte[SealedBox.SealedLength(length)];
        SealedBox.Seal(message, publicKey, sealedBox);
        Assert.Equal(length + 48, sealedBox.Length);
        var opened = new byte[length];
        SealedBox.Open(sealedBox, publicKey, secretKey, opened);
        Assert.Equal(message, opened);
    }

    [Fact]
    public void RoundTripsToAnEd25519DeviceKey()
    {
        var (edPublic, edSecret) = DeviceKeyPair(new Random(71));
        var spaceKey = new byte[32];
        new Random(72).NextBytes(spaceKey);

        var sealedBox = new byte[SealedBox.SealedLength(spaceKey.Length)];
        SealedBox.SealToDevice(spaceKey, edPublic, sealedBox);
        var opened = new byte[spaceKey.Length];
        SealedBox.OpenWithDeviceKey(sealedBox, edSecret, opened);
        Assert.Equal(spaceKey, opened);
    }

    [Fact]
    public void SealingTwiceGivesDifferentBoxesWithoutThePlaintext()
    {
        var (edPublic, _) = DeviceKeyPair(new Random(73));
        var marker = "MARKER-space-key-MARKER"u8.ToArray();
        var first = new byte[SealedBox.SealedLength(marker.Length)];
        var second = new byte[first.Length];
        SealedBox.SealToDevice(marker, edPublic, first);
        SealedBox.SealToDevice(marker, edPublic, second);
        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf("MARKER"u8));
    }

    [Fact]
    public void AnotherDeviceCannotOpen()
    {
        var (alicePublic, _) = DeviceKeyPair(new Random(74));
        var (_, bobSecret) = DeviceKeyPair(new Random(75));
        var sealedBox = new byte[SealedBox.SealedLength(32)];
        SealedBox.SealToDevice(new byte[32], alicePublic, sealedBox);
        var opened = new byte[32];
        DecryptionRefusal.Expect("wrong device", () => SealedBox.OpenWithDeviceKey(sealedBox, bobSecret, opened));
    }

    [Fact]
    public void EveryFlippedBitAndEveryTruncationIsRefused()
    {
        var random = new Random(76);
        var (edPublic, edSecret) = DeviceKeyPair(random);
        var message = new byte[32];
        random.NextBytes(message);
        var sealedBox = new byte[SealedBox.SealedLength(message.Length)];
        SealedBox.SealToDevice(message, edPublic, sealedBox);
        var opened = new byte[message.Length];

        for (var bit = 0; bit < sealedBox.Length * 8; bit++)
        {
            var bad = (byte[])sealedBox.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            DecryptionRefusal.Expect($"bit {bit}", () => SealedBox.OpenWithDeviceKey(bad, edSecret, opened));
            Assert.All(opened, b => Assert.Equal(0, b));
        }

        for (var length = 0; length < sealedBox.Length; length++)
        {
            var truncated = sealedBox.AsSpan(0, length).ToArray();
            DecryptionRefusal.Expect($"truncated to {length}", () => SealedBox.OpenWithDeviceKey(truncated, edSecret, new byte[Math.Max(0, length - 48)]));
        }
    }

    [Fact]
    public void OpeningWithAMismatchedKeyPairIsRefused()
    {
        var random = new Random(79);
        var (publicKey, secretKey) = X25519KeyPair(random);
        var (otherPublic, _) = X25519KeyPair(random);
        var sealedBox = new byte[SealedBox.SealedLength(8)];
        SealedBox.Seal("8 bytes!"u8, publicKey, sealedBox);
        DecryptionRefusal.Expect("public key of another pair", () => SealedBox.Open(sealedBox, otherPublic, secretKey, new byte[8]));
        var opened = new byte[8];
        SealedBox.Open(sealedBox, publicKey, secretKey, opened);
        Assert.Equal("8 bytes!"u8.ToArray(), opened);
    }

    [Fact]
    public void SeededMutationsAreRefused()
    {
        var (edPublic, edSecret) = DeviceKeyPair(new Random(77));
        var sealedBox = new byte[SealedBox.SealedLength(32)];
        SealedBox.SealToDevice(new byte[32], edPublic, sealedBox);
        for (var seed = 0; seed < 300; seed++)
        {
            var mutated = ByteMutator.Mutate(sealedBox, new Random(seed));
            DecryptionRefusal.Expect($"mutation seed {seed}", () => SealedBox.OpenWithDeviceKey(mutated, edSecret, new byte[Math.Max(0, mutated.Length - 48)]));
        }
    }

    [Fact]
    public void InvalidRecipientKeysAreTypedErrors()
    {
        // All-zero X25519 key: the shared secret would be zero, libsodium refuses to seal to it.
        Assert.Throws<InvalidPublicKeyException>(() => SealedBox.Seal(new byte[4], new byte[32], new byte[52]));

        // Not a point on Ed25519 (y = 2 has no x), so it cannot be a device key.
        var notAPoint = new byte[32];
        notAPoint[0] = 2;
        Assert.Throws<InvalidPublicKeyException>(() => SealedBox.SealToDevice(new byte[4], notAPoint, new byte[52]));
    }

    [Fact]
    public void WrongBufferSizesAreArgumentErrors()
    {
        var (publicKey, secretKey) = X25519KeyPair(new Random(78));
        Assert.Throws<ArgumentException>(() => SealedBox.Seal(new byte[4], new byte[31], new byte[52]));
        Assert.Throws<ArgumentException>(() => SealedBox.Seal(new byte[4], publicKey, new byte[51]));
        Assert.Throws<ArgumentException>(() => SealedBox.Open(new byte[52], publicKey, new byte[31], new byte[4]));
        Assert.Throws<ArgumentException>(() => SealedBox.Open(new byte[52], publicKey, secretKey, new byte[5]));
        Assert.Throws<ArgumentException>(() => SealedBox.OpenWithDeviceKey(new byte[52], new byte[32], new byte[4]));
        Assert.Throws<ArgumentException>(() => SealedBox.SealToDevice(new byte[4], new byte[33], new byte[52]));
        var shared = new byte[60];
        Assert.Throws<ArgumentException>(() => SealedBox.Seal(shared.AsSpan(0, 4), publicKey, shared.AsSpan(2, 52)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SealedBox.SealedLength(-1));
    }

    private static (byte[] PublicKey, byte[] SecretKey) X25519KeyPair(Random random)
    {
        var secretKey = new byte[32];
        random.NextBytes(secretKey);
        var publicKey = new byte[32];
        Sodium.X25519PublicKey(secretKey, publicKey);
        return (publicKey, secretKey);
    }

    private static (byte[] PublicKey, byte[] SecretKey) DeviceKeyPair(Random random)
    {
        var seed = new byte[32];
        random.NextBytes(seed);
        var publicKey = new byte[32];
        var secretKey = new byte[64];
        Sodium.Ed25519KeypairFromSeed(seed, publicKey, secretKey);
        return (publicKey, secretKey);
    }
}
