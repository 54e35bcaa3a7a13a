using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// The 96-bit STUN transaction id. Held in a <see cref="UInt128"/> (top 32 bits zero) so it has
/// value equality and can key a dictionary of outstanding requests without allocating.
/// </summary>
internal readonly record struct TransactionId(UInt128 Value)
{
    public const int Length = 12;

    public static TransactionId Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Length)
        {
            throw new ArgumentException("A transaction id is 12 bytes.", nameof(source));
        }

        ulong high = BinaryPrimitives.ReadUInt32BigEndian(source);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(source[4..]);
        return new TransactionId(new UInt128(high, low));
    }

    /// <summary>A fresh id from <paramref name="random"/>; callers pass a seeded generator in tests.</summary>
    public static TransactionId Create(Random random)
    {
        Span<byte> bytes = stackalloc byte[Length];
        random.NextBytes(bytes);
        return Read(bytes);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(ulong)(Value >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], (ulong)Value);
    }

    public override string ToString() => ((ulong)(Value >> 64)).ToString("x8") + ((ulong)Value).ToString("x16");
}
