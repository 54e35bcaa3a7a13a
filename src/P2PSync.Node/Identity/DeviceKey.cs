using P2PSync.Node.Crypto;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Identity;

/// <summary>
/// This device's Ed25519 key pair. The same secret, converted to X25519, is the Noise static key,
/// so one file on disk is the device's whole identity.
/// </summary>
internal sealed class DeviceKey : IDisposable
{
    public const int SeedLength = Sodium.Ed25519SeedBytes;

    private readonly byte[] _seed;
    private readonly byte[] _secretKey;
    private readonly byte[] _publicKey;

    private DeviceKey(byte[] seed)
    {
        _seed = seed;
        _publicKey = new byte[Sodium.Ed25519PublicKeyBytes];
        _secretKey = new byte[Sodium.Ed25519SecretKeyBytes];
        Sodium.Ed25519KeypairFromSeed(_seed, _publicKey, _secretKey);
        Id = DeviceId.FromPublicKey(_publicKey);
    }

    /// <summary>Who this device is.</summary>
    public DeviceId Id { get; }

    /// <summary>The Ed25519 public key (same bytes as <see cref="DeviceId.PublicKey"/>).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The 32-byte seed the key pair is derived from: the only secret that is stored.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>A new key from libsodium's random source.</summary>
    public static DeviceKey Generate()
    {
        var seed = new byte[SeedLength];
        Sodium.RandomBytes(seed);
        return new DeviceKey(seed);
    }

    /// <summary>The key pair derived from a 32-byte seed (a stored key, or a fixed one in tests).</summary>
    public static DeviceKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"A device key seed is {SeedLength} bytes, not {seed.Length}.", nameof(seed));
        }

        return new DeviceKey(seed.ToArray());
    }

    /// <summary>An Ed25519 signature of <paramref name="message"/> by this device.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Sodium.Ed25519SignatureBytes];
        Sodium.Ed25519Sign(message, _secretKey, signature);
        return signature;
    }

    /// <summary>The X25519 secret key for Noise (caller owns the array and should zero it when done).</summary>
    public byte[] ToX25519SecretKey()
    {
        var secret = new byte[Sodium.X25519KeyBytes];
        Sodium.Ed25519SecretKeyToX25519(_secretKey, secret);
        return secret;
    }

    /// <summary>Wipes the secret bytes held in memory.</summary>
    public void Dispose()
    {
        Sodium.MemZero(_seed);
        Sodium.MemZero(_secretKey);
    }
}
