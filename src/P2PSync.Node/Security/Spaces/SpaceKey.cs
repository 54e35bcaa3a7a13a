using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The XChaCha20-Poly1305 content key of one epoch of a space. Epoch 0 comes with the space; every
/// RotateKey entry starts the next epoch with a fresh random key, which removed members never get.
/// Dispose wipes the key bytes.
/// </summary>
internal sealed class SpaceKey : IDisposable
{
    public const int Length = XChaCha20Poly1305.KeyBytes;

    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>A key with these 32 bytes (copied).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public SpaceKey(ulong epoch, ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException($"A space key is {Length} bytes, not {key.Length}.", nameof(key));
        }

        Epoch = epoch;
        _key = key.ToArray();
    }

    public ulong Epoch { get; }

    /// <summary>The key bytes.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed (and wiped).</exception>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>A fresh key from libsodium's random source.</summary>
    public static SpaceKey Generate(ulong epoch)
    {
        Span<byte> key = stackalloc byte[Length];
        try
        {
            Sodium.RandomBytes(key);
            return new SpaceKey(epoch, key);
        }
        finally
        {
            Sodium.MemZero(key);
        }
    }

    /// <summary>An independent copy (the copy must be disposed on its own).</summary>
    public SpaceKey Copy() => new(Epoch, Bytes);

    /// <summary>Same epoch and same key bytes, compared in constant time.</summary>
    public bool SameAs(SpaceKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Epoch == other.Epoch && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);
    }

    public override string ToString() => $"space key epoch {Epoch}";

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Sodium.MemZero(_key);
        }
    }
}
