using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The random 16-byte identity of a space. Random rather than derived from a name so two people
/// creating "notes" never collide, and so the id reveals nothing about the space.
/// </summary>
internal readonly struct SpaceId : IEquatable<SpaceId>
{
    public const int Length = 16;

    private readonly byte[]? _bytes;

    private SpaceId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 16 id bytes (empty for <c>default</c>).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True for <c>default(SpaceId)</c>, which names no space.</summary>
    public bool IsEmpty => _bytes is null;

    /// <summary>A new id from libsodium's random source.</summary>
    public static SpaceId NewRandom()
    {
        var bytes = new byte[Length];
        Sodium.RandomBytes(bytes);
        return new SpaceId(bytes);
    }

    /// <summary>The id with these 16 bytes.</summary>
    /// <exception cref="ArgumentException">Not 16 bytes.</exception>
    public static SpaceId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A space id is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new SpaceId(bytes.ToArray());
    }

    /// <summary>Lower-case hex, the form used in logs and on the command line.</summary>
    public override string ToString() => _bytes is null ? "(no space)" : Convert.ToHexStringLower(_bytes);

    public bool Equals(SpaceId other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is SpaceId other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(SpaceId left, SpaceId right) => left.Equals(right);

    public static bool operator !=(SpaceId left, SpaceId right) => !left.Equals(right);
}
